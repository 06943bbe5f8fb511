import Link from "next/link";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { PageHeader } from "@/components/ui/card";

type Role = "user" | "manager" | "admin";

const NEEDS: Record<"manager" | "admin", string> = {
  manager: "a manager or admin role",
  admin: "the admin role",
};

/**
 * What a signed-in member sees on a page their role does not open, instead of being sent Home
 * without a word: which role the page needs, theirs, and who can change it.
 */
export function RoleRequired({ page, needs, role, back = { href: "/", label: "Go to Home" } }: {
  /** The page's name, as its heading would say it. */
  page: string;
  needs: "manager" | "admin";
  role: Role;
  back?: { href: string; label: string };
}) {
  return (
    <>
      <PageHeader title={page} />
      <section role="alert" aria-labelledby="role-required-title" data-testid="role-required" className="max-w-xl rounded-lg border border-amber-200 bg-amber-50 p-5 text-sm text-amber-900">
        <h2 id="role-required-title" className="text-base font-semibold">
          You need {NEEDS[needs]} to open {page}
        </h2>
        <p className="mt-2">
          Your role in this organization is <strong>{role}</strong>. An admin can change it in Settings → Users.
        </p>
        <p className="mt-4">
          <Link href={back.href} className={secondaryLinkClass}>
            {back.label}
          </Link>
        </p>
      </section>
    </>
  );
}
