import { Link } from "wouter";
import type { Me } from "../api.js";
import "../shell.css";

/** A line of links by role, under the header. */
export function AdminNav(props: { me: Me }) {
  const { role } = props.me.user;
  const links: [string, string][] = [];
  if (role === "admin") links.push(["/admin", "Programs"]);
  if (role !== "participant")
    for (const c of props.me.cohorts) links.push([`/cohort/${c.id}`, `${c.name}: readiness & schedule`]);
  if (role === "participant") links.push(["/my/forms", "My forms"]);
  links.push(["/my/schedule", "My schedule"]);
  return (
    <nav className="subnav" aria-label="Sections">
      {links.map(([href, label]) => (
        <Link key={href} href={href} data-testid={`nav-${href.replace(/[^a-z0-9]+/gi, "-")}`}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
