export * from "./rules";
export * from "./sequence-steps";
