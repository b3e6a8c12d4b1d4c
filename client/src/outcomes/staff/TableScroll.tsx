import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways on a narrow screen: focusable and named, so a keyboard can
 * scroll it too (WCAG 2.1.1; axe "scrollable-region-focusable").
 */
export function TableScroll(props: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
