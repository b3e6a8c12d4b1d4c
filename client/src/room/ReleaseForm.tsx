import { useState } from "react";
import type { ReleaseView } from "../../../shared/protocol/live.js";
import { clock } from "../time.js";
import { TextField, submitter } from "./form-parts.js";

export interface ReleaseInput {
  transportBy?: string;
  planConfirmed: boolean;
  planChange: string | null;
  medicalTransferReason: string | null;
}

/**
 * [LIVE10][LIVE2] Release against the transportation plan on file: "going home as planned" confirms
 * it (the plan's driver is recorded); "someone else" takes the driver and what changed, which is
 * logged beside the plan. The earliest release time is said before anyone presses; before it only
 * a medical transfer, with a reason, is allowed (the server decides).
 */
export function ReleaseFields(props: {
  view: ReleaseView | undefined;
  earliest: string | null;
  now: number;
  onSubmit: (f: ReleaseInput) => void;
}) {
  const plan = props.view?.plan ?? null;
  // Null until chosen: "as planned" by default once the plan on file is known (it may arrive after the form opens).
  const [choice, setChoice] = useState<boolean | null>(null);
  const asPlanned = choice ?? plan !== null;
  const [driver, setDriver] = useState("");
  const [change, setChange] = useState("");
  const [transfer, setTransfer] = useState("");
  const early = props.earliest !== null && Date.parse(props.earliest) > props.now;
  const planned = asPlanned && plan !== null;
  return (
    <form
      className="stack"
      onSubmit={submitter(() => {
        props.onSubmit({
          ...(planned ? {} : { transportBy: driver }),
          planConfirmed: planned,
          planChange: planned ? null : change,
          medicalTransferReason: transfer.trim() ? transfer : null,
        });
      })}
    >
      <div className="plan-on-file" data-testid="release-plan">
        <h3>Transportation plan on file</h3>
        {plan ? (
          <p>
            <strong data-testid="release-plan-driver">{plan.driver}</strong>
            {plan.contact && <span> · {plan.contact}</span>}
            {plan.notes && <span className="muted"> · {plan.notes}</span>}
          </p>
        ) : (
          <p className="flag-strong">No transportation plan on file: record who is taking them home as a change.</p>
        )}
      </div>
      <fieldset className="choice">
        <legend>Who is taking them home?</legend>
        {plan && (
          <label className="check">
            <input
              type="radio"
              name="release-how"
              checked={asPlanned}
              onChange={() => {
                setChoice(true);
              }}
              data-testid="release-as-planned"
            />{" "}
            {plan.driver}, as planned
          </label>
        )}
        <label className="check">
          <input
            type="radio"
            name="release-how"
            checked={!planned}
            onChange={() => {
              setChoice(false);
            }}
            data-testid="release-someone-else"
          />{" "}
          Someone else (a change from the plan, logged)
        </label>
      </fieldset>
      {!planned && (
        <div className="inline-form">
          <TextField
            label="Who is taking them home"
            value={driver}
            onValue={setDriver}
            maxLength={120}
            testId="release-transport"
          />
          <TextField
            label="What changed from the plan"
            value={change}
            onValue={setChange}
            maxLength={500}
            testId="release-change"
          />
        </div>
      )}
      <p className={early ? "flag-strong" : "muted"} data-testid="release-earliest">
        {props.earliest === null
          ? "No dose recorded, so there is no earliest release time."
          : early
            ? `Earliest release ${clock(props.earliest)}. Before then only a medical transfer, with its reason, is allowed.`
            : `Earliest release ${clock(props.earliest)} (reached).`}
      </p>
      {early && (
        <TextField
          label="Medical transfer reason"
          value={transfer}
          onValue={setTransfer}
          maxLength={500}
          testId="release-transfer"
        />
      )}
      <button type="submit" className="primary" data-testid="release-submit">
        {early ? "Release (medical transfer)" : "Release"}
      </button>
    </form>
  );
}
