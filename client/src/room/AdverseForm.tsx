import { useState } from "react";
import { Check, TextField, submitter } from "./form-parts.js";

type Severity = "mild" | "moderate" | "severe" | "life_threatening";
const SEVERITIES: Severity[] = ["mild", "moderate", "severe", "life_threatening"];

/** [LIVE9] Kind, severity, whether emergency services were called, and what happened. */
export function AdverseFields(props: {
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
              setSeverity(SEVERITIES.find((x) => x === e.target.value) ?? "mild");
            }}
            data-testid="adverse-severity"
          >
            {SEVERITIES.map((s) => (
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
