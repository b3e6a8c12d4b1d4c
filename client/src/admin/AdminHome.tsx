import { useCallback, useEffect, useState } from "react";
import { Link } from "wouter";
import { navigate } from "wouter/use-browser-location";
import { z } from "zod";
import { ProgramOverview } from "../../../shared/protocol/admin-views.js";
import { CohortForm, ProgramForm } from "../forms/AdminForms.js";
import { FacilitatorInvite } from "./FacilitatorInvite.js";
import { PatientIdentityForm } from "../forms/PatientIdentityForm.js";
import { http } from "./http.js";
import "./admin.css";
import { PageHeading } from "../PageHeading.js";

const Programs = z.object({
  programs: z.array(z.object({ id: z.string(), name: z.string(), zone: z.string(), profile: z.string() })),
});

/** /admin — the admin's programs and the selected program's cohorts. */
export function AdminHome(props: { programId: string | null }) {
  const [programs, setPrograms] = useState<z.infer<typeof Programs>["programs"]>([]);
  const [overview, setOverview] = useState<ProgramOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const selected = props.programId ?? programs[0]?.id ?? null;

  const load = useCallback(async () => {
    const r = await http("GET", "/api/admin/programs", Programs);
    if (r.ok) setPrograms(r.data.programs);
    else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!selected) return;
    void http("GET", `/api/admin/programs/${encodeURIComponent(selected)}`, ProgramOverview).then((r) =>
      r.ok ? setOverview(r.data) : setError(r.error.message),
    );
  }, [selected]);

  return (
    <main className="page" data-testid="admin-home">
      <PageHeading title="Programs" />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <nav className="toolbar" aria-label="Programs">
        {programs.map((p) => (
          <Link
            key={p.id}
            href={`/admin/program/${p.id}`}
            aria-current={p.id === selected ? "page" : undefined}
            className="pill"
          >
            {p.name}
          </Link>
        ))}
        <button type="button" className="quiet" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          + New program
        </button>
      </nav>
      {creating && (
        <section className="card">
          <h2>New program</h2>
          <ProgramForm
            onDone={(id) => {
              setCreating(false);
              void load();
              navigate(`/admin/program/${id}`);
            }}
          />
        </section>
      )}
      {overview && (
        <section className="card" data-testid="program-overview">
          <h2>{overview.program.name}</h2>
          <p className="muted">
            Time zone <strong>{overview.program.zone}</strong> · Rules: {overview.program.profileName}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Enrolled / room</th>
                <th scope="col">Facilitators</th>
              </tr>
            </thead>
            <tbody>
              {overview.cohorts.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/admin/cohort/${c.id}`} data-testid={`admin-cohort-${c.name}`}>
                      {c.name}
                    </Link>
                  </td>
                  <td>
                    {c.enrolled} / {c.capacity}
                  </td>
                  <td>{c.facilitators.map((f) => f.name).join(", ") || <span className="muted">none yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CohortForm programId={overview.program.id} onDone={(id) => navigate(`/admin/cohort/${id}`)} />
        </section>
      )}
      {overview && (
        <section className="card" aria-labelledby="fhir-identity-h">
          <h2 id="fhir-identity-h">Health record exports</h2>
          <PatientIdentityForm
            key={overview.program.id}
            programId={overview.program.id}
            system={overview.program.patientIdSystem}
          />
        </section>
      )}
      {overview && (
        <FacilitatorInvite key={overview.program.id} programId={overview.program.id} cohorts={overview.cohorts} />
      )}
    </main>
  );
}
