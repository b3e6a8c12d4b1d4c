import { useState, type ReactNode } from "react";
import type { ParticipantLive } from "../../../shared/domain/live.js";
import type { Ack } from "../../../shared/protocol/errors.js";
import type { ReleaseView } from "../../../shared/protocol/live.js";
import { sendCommand } from "../live/command.js";
import { AdverseFields } from "./AdverseForm.js";
import { DoseFields } from "./DoseForm.js";
import type { TileAction } from "./ParticipantTile.js";
import { ReleaseFields } from "./ReleaseForm.js";
import { VitalsFields } from "./VitalsForm.js";
import "./room.css";
import "./alerts.css";

export interface FormTarget {
  action: Exclude<TileAction, "admit">;
  participantId: string;
  name: string;
}

/** What the forms show beside their fields: the plan on file, the earliest release, the opening. */
export interface FormContext {
  release: ReleaseView | undefined;
  earliest: string | null;
  openedAt: string | null;
  now: number;
}

const TITLE: Record<FormTarget["action"], string> = {
  dose: "Record a dose",
  vitals: "Record vitals",
  adverse: "Record an adverse event",
  release: "Release",
};

/**
 * [LIVE1][LIVE8][LIVE9][LIVE10] The facilitator's forms, one at a time, for one participant.
 * The server decides; a refusal comes back as a sentence with the numbers and stays on screen.
 */
export function RecordForm(props: {
  sessionId: string;
  target: FormTarget;
  live: ParticipantLive | undefined;
  context: FormContext;
  onDone: () => void;
}) {
  const { target, context } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function run(result: Promise<Ack<unknown>>): void {
    setBusy(true);
    setError(null);
    void result.then((r) => {
      setBusy(false);
      if (r.ok) props.onDone();
      else setError(r.error.message);
    });
  }

  const common = { sessionId: props.sessionId, participantId: target.participantId };
  let body: ReactNode;
  if (target.action === "dose")
    body = (
      <DoseFields
        first={(props.live?.doses.length ?? 0) === 0}
        openedAt={context.openedAt}
        onSubmit={(f) => {
          run(sendCommand("dose:record", (id) => ({ id, ...common, ...f })).result);
        }}
      />
    );
  else if (target.action === "vitals")
    body = (
      <VitalsFields
        onSubmit={(f) => {
          run(sendCommand("vitals:record", (id) => ({ id, ...common, ...f })).result);
        }}
      />
    );
  else if (target.action === "adverse")
    body = (
      <AdverseFields
        onSubmit={(f) => {
          run(sendCommand("adverse:record", (id) => ({ id, ...common, ...f })).result);
        }}
      />
    );
  else
    body = (
      <ReleaseFields
        view={context.release}
        earliest={context.earliest}
        now={context.now}
        onSubmit={(f) => {
          run(sendCommand("release:record", (id) => ({ id, ...common, ...f })).result);
        }}
      />
    );

  return (
    <section className="card record-form" aria-labelledby="record-h" data-testid={`form-${target.action}`}>
      <div className="alerts-head">
        <h2 id="record-h">
          {TITLE[target.action]} — {target.name}
        </h2>
        <button type="button" className="quiet" onClick={props.onDone}>
          Close
        </button>
      </div>
      <fieldset disabled={busy} className="plain">
        {body}
      </fieldset>
      {error && (
        <p className="form-error" role="alert" data-testid="form-error">
          {error}
        </p>
      )}
    </section>
  );
}
