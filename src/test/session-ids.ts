/** The id of a session each member made by createMember has from the start (no imports: the e2e fuzz reads the catalog). */
export const testSessionId = (userId: string) => `test-session-${userId}`;
