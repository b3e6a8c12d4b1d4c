import { useState } from "react";
import { num, submitter } from "./form-parts.js";

/** [LIVE8] A reading: the server records it, alerts at the limit, and flags one to measure again. */
export function VitalsFields(props: {
  onSubmit: (f: { systolic: number; diastolic: number; heartRate: number }) => void;
}) {
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
