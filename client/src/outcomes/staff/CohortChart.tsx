import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Person } from "../../../../shared/protocol/admin-views.js";
import type { QuestionnaireDef } from "../../../../shared/outcomes/instruments.js";
import type { VisitPoint } from "./chart-data.js";

/*
 * Colours of the dark theme (styles/tokens.css), spelled out because recharts writes SVG
 * attributes. Bands go from calm to warm, faint enough that the lines stay the thing you read.
 */
const INK = "#d8dbe2";
const MUTED = "#acb2be";
const LINE = "#2c3140";
const MEDIAN = "#7bb8aa";
const BANDS = ["#1c2b28", "#1f2a22", "#2a2417", "#2e1f18", "#3a1618", "#3a1618"];
const PEOPLE = ["#8fa3d6", "#d8a85e", "#c99ad6", "#7fb58a", "#e3b7a0", "#9fc9e0", "#d6d08f", "#b0b6c4"];

/**
 * [OUT6] The cohort on one questionnaire: the median by visit with the middle half of the scores
 * shaded around it, each participant's own line, over the instrument's severity bands. Loaded
 * only when a staff page draws it (recharts is large); ChartTable says the same in numbers.
 */
export default function CohortChart(props: {
  def: QuestionnaireDef;
  points: readonly VisitPoint[];
  participants: readonly Person[];
}) {
  const { def, points, participants } = props;
  const data = points.map((p) => ({ ...p }));
  return (
    <div
      className="cohort-chart"
      data-testid="cohort-chart"
      role="img"
      aria-label={`${def.shortTitle} scores by visit: the cohort's median and spread and each participant; the same numbers are in the table below.`}
    >
      <ResponsiveContainer width="100%" height={340}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          {def.bands.map((b, i) => (
            <ReferenceArea
              key={b.code}
              y1={b.min}
              y2={i === def.bands.length - 1 ? def.maxTotal : b.max + 1}
              fill={BANDS[i] ?? LINE}
              fillOpacity={0.9}
              stroke="none"
              ifOverflow="hidden"
              label={{ value: b.label, position: "insideTopRight", fill: MUTED, fontSize: 12 }}
            />
          ))}
          <CartesianGrid stroke={LINE} vertical={false} />
          <XAxis dataKey="label" stroke={MUTED} tick={{ fill: INK, fontSize: 13 }} />
          <YAxis domain={[0, def.maxTotal]} stroke={MUTED} tick={{ fill: INK, fontSize: 13 }} allowDecimals={false} />
          <Tooltip
            contentStyle={{ background: "#20242e", border: `1px solid ${LINE}`, color: INK }}
            labelStyle={{ color: INK }}
          />
          <Legend wrapperStyle={{ color: INK }} />
          <Area
            name="Middle half"
            dataKey="spread"
            stroke="none"
            fill={MEDIAN}
            fillOpacity={0.18}
            connectNulls
            isAnimationActive={false}
          />
          {participants.map((p, i) => (
            <Line
              key={p.id}
              name={p.name}
              dataKey={(row: VisitPoint) => row.scores[p.id] ?? null}
              stroke={PEOPLE[i % PEOPLE.length]}
              strokeWidth={1.5}
              strokeDasharray="4 3"
              dot={{ r: 4 }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
          <Line
            name="Median"
            dataKey="median"
            stroke={MEDIAN}
            strokeWidth={3.5}
            dot={{ r: 5, fill: MEDIAN }}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
