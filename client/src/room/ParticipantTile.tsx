import type { Alert } from "../../../shared/domain/alerts.js";
import type { ParticipantLive } from "../../../shared/domain/live.js";
import { earliestRelease, vitalsAlarming } from "../../../shared/domain/live-rules.js";
import type { Checkin } from "../../../shared/domain/session.js";
import type { RuleProfile } from "../../../shared/profiles/index.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import type { ReadinessView } from "../../../shared/protocol/live.js";
import type { PresenceState } from "../../../shared/protocol/presence.js";
import { ago, clock } from "../time.js";
import { ALERT_LABEL, STATUS_LABEL } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";
import "./room.css";
import "./participant.css";

export type TileAction = "admit" | "dose" | "vitals" | "adverse" | "release";

export interface TileProps {
  person: PublicUser;
  presence: PresenceState;
  checkin: Checkin | undefined;
  live: ParticipantLive | undefined;
  profile: RuleProfile | null;
  readiness: ReadinessView | undefined;
  alerts: Alert[];
  lookIn: boolean;
  now: number;
  onAction: (a: TileAction) => void;
}

/** "2 h 05 min" since an instant. */
function elapsed(iso: string, now: number): string {
  const min = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, "0")} min`;
}

/**
 * One participant at a glance [LIVE1][LIVE2][LIVE5][LIVE7][LIVE8]: presence, latest check-in and
 * its age, dose and timing, earliest release, flags, open alerts — and the actions on them.
 */
export function ParticipantTile(props: TileProps) {
  const { person, presence, checkin, live, profile, now } = props;
  const status = checkin?.status ?? "none";
  const released = live?.release ?? null;
  const admitted = live?.admittedSeq !== null && live?.admittedSeq !== undefined;
  const earliest = live && profile ? earliestRelease(live, profile) : null;
  const alarming = live?.vitals && profile ? vitalsAlarming(live.vitals, profile) : false;
  const urgent = props.alerts.length > 0;
  return (
    <li
      className={`tile status-${status} presence-${presence}${urgent ? " has-alert" : ""}${released ? " released" : ""}`}
      data-testid={`tile-${person.id}`}
      data-status={status}
      data-presence={presence}
    >
      <div className="tile-head">
        <span className="name">{person.name}</span>
        <PresenceBadge userId={person.id} state={presence} />
      </div>
      {props.alerts.map((a) => (
        <p key={a.id} className="tile-alert" data-testid={`tile-alert-${person.id}`}>
          <span aria-hidden="true">⚠ </span>
          {ALERT_LABEL[a.kind]} · {ago(a.raisedAt, now)}
        </p>
      ))}
      <div className="checkin" data-testid={`checkin-${person.id}`} data-status={status}>
        {checkin ? (
          <>
            <span className="status-label">
              {checkin.status === "need_support" && <span aria-hidden="true">⚠ </span>}
              {STATUS_LABEL[checkin.status]}
            </span>
            {checkin.intensity !== null && <span className="intensity"> · intensity {checkin.intensity}/10</span>}
            {checkin.text && <p className="note">“{checkin.text}”</p>}
            <time
              className="age muted"
              dateTime={checkin.at}
              title={clock(checkin.at)}
              data-testid={`checkin-age-${person.id}`}
            >
              checked in {ago(checkin.at, now)}
            </time>
          </>
        ) : (
          <span className="muted">No check-in yet</span>
        )}
      </div>
      {props.lookIn && !released && (
        <p className="flag" data-testid={`lookin-${person.id}`}>
          ◔ Look in on them — no answer to the last prompts
        </p>
      )}
      <dl className="facts">
        {live && live.doses.length > 0 && live.firstDoseAt ? (
          <>
            <dt>Dose</dt>
            <dd data-testid={`dose-${person.id}`}>
              {live.totalMg} mg total ({live.doses.length} dose{live.doses.length === 1 ? "" : "s"})
            </dd>
            <dt>First dose</dt>
            <dd>{clock(live.firstDoseAt)}</dd>
            <dt>Elapsed</dt>
            <dd data-testid={`elapsed-${person.id}`}>{elapsed(live.firstDoseAt, now)}</dd>
            <dt>Earliest release</dt>
            <dd data-testid={`earliest-${person.id}`}>
              {earliest ? clock(earliest) : "—"}
              {earliest && Date.parse(earliest) <= now ? " (reached)" : ""}
            </dd>
          </>
        ) : (
          admitted && (
            <>
              <dt>Dose</dt>
              <dd className="muted">None yet</dd>
            </>
          )
        )}
        {live?.vitals && (
          <>
            <dt>Vitals</dt>
            <dd className={alarming ? "flag-strong" : undefined} data-testid={`vitals-${person.id}`}>
              {alarming && <span aria-hidden="true">⚠ </span>}
              {live.vitals.systolic}/{live.vitals.diastolic} · pulse {live.vitals.heartRate} ·{" "}
              {ago(live.vitals.at, now)}
              {alarming && " (over the alert limit)"}
            </dd>
          </>
        )}
        {live && live.adverseCount > 0 && (
          <>
            <dt>Adverse events</dt>
            <dd>{live.adverseCount}</dd>
          </>
        )}
      </dl>
      {released ? (
        <p className="muted small" data-testid={`released-${person.id}`}>
          Released {clock(released.at)} with {released.transportBy}
          {released.medicalTransferReason ? " (medical transfer)" : ""}
        </p>
      ) : admitted ? (
        <div className="tile-actions">
          <button
            type="button"
            onClick={() => {
              props.onAction("dose");
            }}
            data-testid={`action-dose-${person.id}`}
          >
            Dose
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAction("vitals");
            }}
            data-testid={`action-vitals-${person.id}`}
          >
            Vitals
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAction("adverse");
            }}
            data-testid={`action-adverse-${person.id}`}
          >
            Adverse event
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAction("release");
            }}
            data-testid={`action-release-${person.id}`}
          >
            Release
          </button>
        </div>
      ) : (
        <Admission
          readiness={props.readiness}
          onAdmit={() => {
            props.onAction("admit");
          }}
          personId={person.id}
        />
      )}
    </li>
  );
}

/** [RDY1] Not admitted yet: admit if Ready, otherwise each missing item by name. */
function Admission(props: { readiness: ReadinessView | undefined; onAdmit: () => void; personId: string }) {
  const r = props.readiness;
  if (!r) return <p className="muted small">Not admitted yet · checking readiness…</p>;
  if (!r.ready) {
    return (
      <div className="not-ready" data-testid={`not-ready-${props.personId}`}>
        <p className="small">
          <strong>Not ready for dosing:</strong>
        </p>
        <ul className="small">
          {r.missing.map((m) => (
            <li key={m.item + m.label}>{m.label}</li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="tile-actions">
      <span className="muted small">Not admitted yet · Ready</span>
      <button type="button" className="primary" onClick={props.onAdmit} data-testid={`action-admit-${props.personId}`}>
        Admit to session
      </button>
      {r.flags.length > 0 && <p className="small muted">Review flags: {r.flags.join(", ")}</p>}
    </div>
  );
}
