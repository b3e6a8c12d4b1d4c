import { useState, type ChangeEvent, type ReactNode, type SubmitEvent } from "react";
import type { ParticipantLive } from "../../../shared/domain/live.js";
import type { Ack } from "../../../shared/protocol/errors.js";
import { sendCommand } from "../live/command.js";
import type { TileAction } from "./ParticipantTile.js";
import "./room.css";
import "./alerts.css";

export interface FormTarget {
  action: Exclude<TileAction, "admit">;
  participantId: string;
  name: string;
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
  onDone: () => void;
}) {
  const { target } = props;
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

function submitter(fn: () => void) {
  return (e: SubmitEvent<HTMLFormElement>): void => {
    e.preventDefault();
    fn();
  };
}

const num = (v: string): number => (v.trim() === "" ? NaN : Number(v));

function DoseFields(props: {
  first: boolean;
  onSubmit: (f: { mg: number; kind: "primary" | "secondary"; givenAt: string | null }) => void;
}) {
  const [mg, setMg] = useState("");
  const [time, setTime] = useState("");
  const kind = props.first ? "primary" : "secondary";
  return (
    <form
      className="inline-form"
      onSubmit={submitter(() => {
        // A time typed as HH:MM is today's, in this browser's zone; empty means now.
        const givenAt = time ? new Date(`${new Date().toDateString()} ${time}`).toISOString() : null;
        props.onSubmit({ mg: num(mg), kind, givenAt });
      })}
    >
      <label className="field">
        <span>Psilocybin (mg), {kind} dose</span>
        <input
          type="number"
          step="0.01"
          min="0"
          inputMode="decimal"
          value={mg}
          onChange={(e) => {
            setMg(e.target.value);
          }}
          data-testid="dose-mg"
          required
        />
      </label>
      <label className="field">
        <span>Taken at (empty: now)</span>
        <input
          type="time"
          value={time}
          onChange={(e) => {
            setTime(e.target.value);
          }}
          data-testid="dose-time"
        />
      </label>
      <button type="submit" className="primary" data-testid="dose-submit">
        Record dose
      </button>
    </form>
  );
}

function VitalsFields(props: { onSubmit: (f: { systolic: number; diastolic: number; heartRate: number }) => void }) {
  const [v, setV] = useState({ systolic: "", diastolic: "", heartRate: "" });
  const field = (key: keyof typeof v, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        inputMode="numeric"
        value={v[key]}
        onChange={(e) => {
          setV({ ...v, [key]: e.target.value });
        }}
        data-testid={`vitals-${key}`}
        required
      />
    </label>
  );
  return (
    <form
      className="inline-form"
      onSubmit={submitter(() => {
        props.onSubmit({ systolic: num(v.systolic), diastolic: num(v.diastolic), heartRate: num(v.heartRate) });
      })}
    >
      {field("systolic", "Systolic (mmHg)")}
      {field("diastolic", "Diastolic (mmHg)")}
      {field("heartRate", "Heart rate (per min)")}
      <button type="submit" className="primary" data-testid="vitals-submit">
        Record vitals
      </button>
    </form>
  );
}

type Severity = "mild" | "moderate" | "severe" | "life_threatening";
function AdverseFields(props: {
  onSubmit: (f: {
    kind: "behavioral" | "medical";
    severity: Severity;
    emergencyServicesCalled: boolean;
    description: string;
  }) => void;
}) {
  const [kind, setKind] = useState<"behavioral" | "medical">("behavioral");
  const [severity, setSeverity] = useState<Severity>("mild");
  const [ems, setEms] = useState(false);
  const [description, setDescription] = useState("");
  const severities: Severity[] = ["mild", "moderate", "severe", "life_threatening"];
  return (
    <form
      className="stack"
      onSubmit={submitter(() => {
        props.onSubmit({ kind, severity, emergencyServicesCalled: ems, description });
      })}
    >
      <div className="inline-form">
        <label className="field">
          <span>Kind</span>
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value === "medical" ? "medical" : "behavioral");
            }}
            data-testid="adverse-kind"
          >
            <option value="behavioral">Behavioral</option>
            <option value="medical">Medical</option>
          </select>
        </label>
        <label className="field">
          <span>Severity</span>
          <select
            value={severity}
            onChange={(e) => {
              setSeverity(severities.find((x) => x === e.target.value) ?? "mild");
            }}
            data-testid="adverse-severity"
          >
            {severities.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", "-")}
              </option>
            ))}
          </select>
        </label>
        <Check checked={ems} onChange={setEms} testId="adverse-ems">
          Emergency services called
        </Check>
      </div>
      <TextField
        label="What happened"
        value={description}
        onValue={setDescription}
        maxLength={2000}
        rows={3}
        testId="adverse-description"
      />
      <button type="submit" className="primary" data-testid="adverse-submit">
        Record adverse event
      </button>
    </form>
  );
}

function ReleaseFields(props: {
  onSubmit: (f: {
    transportBy: string;
    planConfirmed: boolean;
    planChange: string | null;
    medicalTransferReason: string | null;
  }) => void;
}) {
  const [transportBy, setTransportBy] = useState("");
  const [confirmed, setConfirmed] = useState(true);
  const [change, setChange] = useState("");
  const [transfer, setTransfer] = useState("");
  return (
    <form
      className="stack"
      onSubmit={submitter(() => {
        props.onSubmit({
          transportBy,
          planConfirmed: confirmed,
          planChange: confirmed ? null : change,
          medicalTransferReason: transfer.trim() ? transfer : null,
        });
      })}
    >
      <TextField
        label="Who is taking them home"
        value={transportBy}
        onValue={setTransportBy}
        maxLength={120}
        testId="release-transport"
      />
      <Check checked={confirmed} onChange={setConfirmed} testId="release-confirmed">
        This is the transportation plan on file
      </Check>
      {!confirmed && (
        <TextField
          label="What changed from the plan (logged)"
          value={change}
          onValue={setChange}
          maxLength={500}
          rows={2}
          testId="release-change"
        />
      )}
      <TextField
        label="Medical transfer reason (only for a release before the earliest time)"
        value={transfer}
        onValue={setTransfer}
        maxLength={500}
        testId="release-transfer"
      />
      <button type="submit" className="primary" data-testid="release-submit">
        Release
      </button>
    </form>
  );
}

/** The room's tick box: the box, then its text, inside one label. */
function Check(props: { checked: boolean; onChange: (checked: boolean) => void; testId: string; children: ReactNode }) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => {
          props.onChange(e.target.checked);
        }}
        data-testid={props.testId}
      />{" "}
      {props.children}
    </label>
  );
}

/** A free-text field in the room's compact style; with `rows` it is a textarea. */
function TextField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  maxLength: number;
  rows?: number;
  testId: string;
}) {
  const attrs = {
    maxLength: props.maxLength,
    value: props.value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      props.onValue(e.target.value);
    },
    "data-testid": props.testId,
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      {props.rows === undefined ? <input {...attrs} /> : <textarea {...attrs} rows={props.rows} />}
    </label>
  );
}
