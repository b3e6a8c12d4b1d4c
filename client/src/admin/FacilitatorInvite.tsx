import { useState } from "react";
import { z } from "zod";
import { FacilitatorInviteCreate } from "../../../shared/protocol/admin.js";
import { Field, FormError, useFormErrors } from "../forms/kit.js";
import { dateTime } from "../time.js";
import { commandId, http } from "./http.js";

const Invite = z.object({ token: z.string(), path: z.string(), expiresAt: z.string() });
const LIFETIMES = [
  { hours: 24, label: "1 day" },
  { hours: 168, label: "7 days" },
  { hours: 720, label: "30 days" },
] as const;

/**
 * "Invite a facilitator": a one-time, expiring link for a new facilitator of this program. The
 * person chooses their own name, email and password on the link's page; the role is set by the server.
 */
export function FacilitatorInvite(props: { programId: string; cohorts: { id: string; name: string }[] }) {
  const [cohortId, setCohortId] = useState("");
  const [ttlHours, setTtlHours] = useState("168");
  const [invite, setInvite] = useState<z.infer<typeof Invite> | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();

  const submit = errors.submit(
    () =>
      FacilitatorInviteCreate.safeParse({
        id: commandId(),
        cohortId: cohortId === "" ? null : cohortId,
        ttlHours: Number(ttlHours),
      }),
    async (data) => {
      setBusy(true);
      const r = await http(
        "POST",
        `/api/admin/programs/${encodeURIComponent(props.programId)}/facilitator-invites`,
        Invite,
        data,
      );
      setBusy(false);
      return r;
    },
    setInvite,
  );

  return (
    <section className="card" data-testid="facilitator-invite">
      <h2>Invite a facilitator</h2>
      <p className="muted small">
        The link works once. Whoever opens it chooses their name, email and password and joins this program as a
        facilitator.
      </p>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate data-testid="facilitator-invite-form">
        <Field id="finv-cohort" label="Assign to a cohort (optional)" error={errors.fields.cohortId}>
          {(a) => (
            <select {...a} value={cohortId} onChange={(e) => setCohortId(e.target.value)} data-testid="finv-cohort">
              <option value="">No cohort yet</option>
              {props.cohorts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="finv-ttl" label="Link works for" error={errors.fields.ttlHours}>
          {(a) => (
            <select {...a} value={ttlHours} onChange={(e) => setTtlHours(e.target.value)}>
              {LIFETIMES.map((l) => (
                <option key={l.hours} value={String(l.hours)}>
                  {l.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy} data-testid="finv-submit">
          {busy ? "Creating…" : "Create invite link"}
        </button>
        <FormError message={errors.form} testId="finv-error" />
      </form>
      {invite && (
        <p>
          <input
            readOnly
            value={`${window.location.origin}${invite.path}`}
            aria-label="Facilitator invite link"
            data-testid="finv-url"
            onFocus={(e) => e.target.select()}
          />
          <span className="muted small">Expires {dateTime(invite.expiresAt)}</span>
        </p>
      )}
    </section>
  );
}
