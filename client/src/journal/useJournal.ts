import { useState } from "react";
import { journalStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import { sendCommand } from "../live/command.js";
import { useStream } from "../live/useStream.js";
import { useCatchUpOnConnect } from "../circle/useCatchUp.js";

/** [CIR5] The participant's own journal stream, and writing to it (from a circle or the journal page). */
export function useJournal(meId: string) {
  const journal = useStream(journalStream, streamName("journal", meId));
  useCatchUpOnConnect(journal.follower);
  const [busy, setBusy] = useState(false);

  /** Null when saved, or the sentence to show. */
  async function write(text: string, circleId: string | null): Promise<string | null> {
    if (!text.trim()) return "Write something first.";
    setBusy(true);
    const ack = await sendCommand("journal:write", (id) => ({ id, text, circleId })).result;
    setBusy(false);
    return ack.ok ? null : ack.error.message;
  }

  return { state: journal.state, ready: journal.ready, busy, write };
}
