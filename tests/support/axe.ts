import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";

/** Where each screen's full axe results land, for review beside the screenshots. */
export const AXE_ARTIFACTS = join(process.cwd(), "test-artifacts", "axe");

/** WCAG 2.0 and 2.1, levels A and AA: what the issue asks every screen to meet. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Impacts that fail the run; "minor" and "moderate" are kept in the JSON for review. */
const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe-core over the page as it is now and fails with one readable line per serious or
 * critical violation (rule, impact, the elements, the help text). The full results are written
 * to test-artifacts/axe/<screen>.json whether or not it fails.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  await mkdir(AXE_ARTIFACTS, { recursive: true });
  await writeFile(join(AXE_ARTIFACTS, `${screen}.json`), JSON.stringify(results, null, 2));
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ""));
  if (blocking.length === 0) return;
  const lines = blocking.map((v) => {
    const targets = v.nodes.map((n) => n.target.map(String).join(" ")).join(", ");
    return `- ${v.id} (${v.impact ?? "?"}): ${v.help} — ${targets}\n  ${v.helpUrl}`;
  });
  throw new Error(`${screen}: ${blocking.length} serious/critical axe violation(s)\n${lines.join("\n")}`);
}
