import { useEffect, useRef, type ReactNode } from "react";
import { useLocation } from "wouter";

const APP = "Holdspace";

/** The address the tab was opened at: arriving there is a first load, not a navigation. */
const firstHref = typeof window === "undefined" ? "" : window.location.href;
/** Set once the address has changed in this tab; from then on every new page takes the focus. */
let navigated = false;

/** The tab's title for a page: "<title> — Holdspace" (names only, never clinical content). */
export function documentTitle(title: string): string {
  return title ? `${title} — ${APP}` : APP;
}

/**
 * A page's main heading and the one mechanism for what a screen reader user needs on a
 * single-page app's navigation (issue 11): it sets `document.title` from `title` (a name the page
 * shows, such as "Facilitator room · Dosing day") and, after the address has changed — never on the
 * first load, where the browser already starts at the top — moves the focus to this heading, so the
 * new page is announced by its name and Tab continues from it. Every screen renders one of these in
 * place of its `<h1>`.
 */
export function PageHeading(props: { title: string; children?: ReactNode; id?: string; testId?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const [location] = useLocation();
  const { title } = props;
  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
  useEffect(() => {
    if (window.location.href !== firstHref) navigated = true;
    // Focusing also brings the heading into view when the last page was scrolled down.
    if (navigated) ref.current?.focus();
  }, [location]);
  return (
    <h1 ref={ref} tabIndex={-1} id={props.id} data-testid={props.testId}>
      {props.children ?? title}
    </h1>
  );
}
