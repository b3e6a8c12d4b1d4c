import { useState } from "react";
import { viewerZone } from "../time.js";

/** Which clock a schedule is read on: the viewer's own (the default) or the program's [SCH1]. */
export type ZoneChoice = "mine" | "program";

const KEY = "holdspace:schedule-zone";

/** The zone a schedule shows: the viewer's unless they chose the program's. */
export function chosenZone(choice: ZoneChoice | null, mine: string, program: string): string {
  return choice === "program" ? program : mine;
}

function remembered(): ZoneChoice | null {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === "mine" || v === "program" ? v : null;
  } catch {
    return null; // storage off (private mode): the default is fine
  }
}

/** [SCH1] The viewer's choice of clock, remembered across pages and reloads. */
export function useZoneChoice(programZone: string) {
  const [choice, setChoice] = useState<ZoneChoice | null>(remembered);
  const mine = viewerZone();
  const choose = (c: ZoneChoice) => {
    setChoice(c);
    try {
      window.localStorage.setItem(KEY, c);
    } catch {
      // not remembered; still switched for this page
    }
  };
  return { zone: chosenZone(choice, mine, programZone), mine, choice: choice ?? "mine", choose };
}
