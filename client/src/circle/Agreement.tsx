import { useState } from "react";
import { sendCommand } from "../live/command.js";
import "./circle.css";
import { PageHeading } from "../PageHeading.js";

/** [CIR1] The circle agreement, shown and accepted before a participant's first circle in a cohort. */
export function Agreement(props: { circleId: string; onAccepted: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function accept(): Promise<void> {
    setBusy(true);
    const ack = await sendCommand("circle:agree", (id) => ({ id, circleId: props.circleId })).result;
    setBusy(false);
    if (ack.ok) props.onAccepted();
    else setError(ack.error.message);
  }
  return (
    <section className="card agreement" aria-labelledby="agreement-title" data-testid="agreement">
      <PageHeading title="Circle agreement" id="agreement-title">
        Before we begin: the circle agreement
      </PageHeading>
      <ul>
        <li>What is shared in the circle stays in the circle. I will keep it confidential.</li>
        <li>
          I understand that other members are <strong>not bound by law</strong> to keep what I share confidential, so I
          share what I am comfortable with.
        </li>
        <li>I speak when I hold the talking piece and listen when others do. I may always pass.</li>
      </ul>
      <button
        type="button"
        className="primary circle-btn"
        disabled={busy}
        onClick={() => void accept()}
        data-testid="agreement-accept"
      >
        {busy ? "Saving…" : "I agree"}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
