// Points earned and redeemed per day, drawn by Polaris Viz. Charts measure their container, so
// they render in the browser only; the server (and the first paint) shows a placeholder of the same size.
import { useEffect, useRef, useState } from "react";
import { BlockStack, Box, Text } from "@shopify/polaris";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";

export interface DailyPoint {
  date: string; // YYYY-MM-DD in the shop's zone
  earned: number;
  redeemed: number;
}

const CHART_HEIGHT = 280;

function dayLabel(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

export function PointsChart({ daily }: { daily: DailyPoint[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // The drawing is for sighted users; screen readers get the table below. Polaris Viz's own
  // hidden markup (list roles without items, unlabelled img circles) fails axe, so the drawing is
  // hidden from assistive technology and made inert (nothing inside can take focus).
  const drawing = useRef<HTMLDivElement>(null);
  useEffect(() => drawing.current?.setAttribute("inert", ""), []);
  const totalEarned = daily.reduce((sum, d) => sum + d.earned, 0);
  const totalRedeemed = daily.reduce((sum, d) => sum + d.redeemed, 0);
  const data = [
    { name: "Points earned", data: daily.map((d) => ({ key: dayLabel(d.date), value: d.earned })) },
    { name: "Points redeemed", data: daily.map((d) => ({ key: dayLabel(d.date), value: d.redeemed })) },
  ];
  return (
    <BlockStack gap="200">
      <Box minHeight={`${CHART_HEIGHT}px`}>
        <div style={{ height: CHART_HEIGHT }} data-testid="points-chart" aria-hidden="true" ref={drawing}>
          {mounted ? (
            <PolarisVizProvider>
              <LineChart
                data={data}
                theme="Light"
                isAnimated={false}
                showLegend
                emptyStateText="No points earned or redeemed in this period"
                xAxisOptions={{ labelFormatter: (value) => String(value ?? "") }}
                yAxisOptions={{ integersOnly: true, labelFormatter: (value) => Number(value ?? 0).toLocaleString("en-US") }}
              />
            </PolarisVizProvider>
          ) : (
            <Box background="bg-surface-secondary" borderRadius="200" minHeight={`${CHART_HEIGHT}px`} />
          )}
        </div>
      </Box>
      <Text as="span" visuallyHidden>
        <table>
          <caption>Points earned and redeemed per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Earned</th>
              <th scope="col">Redeemed</th>
            </tr>
          </thead>
          <tbody>
            {daily.map((d) => (
              <tr key={d.date}>
                <th scope="row">{dayLabel(d.date)}</th>
                <td>{d.earned}</td>
                <td>{d.redeemed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {`${totalEarned.toLocaleString("en-US")} points earned and ${totalRedeemed.toLocaleString("en-US")} redeemed in these ${daily.length} days.`}
      </Text>
    </BlockStack>
  );
}
