/** Scrapes and parses /metrics with a Prometheus text-format parser (prom2json's shape). */
// @ts-expect-error the parser ships no types; its output shape is declared below
import parsePrometheusTextFormat from "parse-prometheus-text-format";

interface Sample {
  labels?: Record<string, string>;
  value?: string;
  /** Histograms. */
  count?: string;
  sum?: string;
  buckets?: Record<string, string>;
}
export interface MetricFamily {
  name: string;
  help: string;
  type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  metrics: Sample[];
}

export const parseMetrics = parsePrometheusTextFormat as (text: string) => MetricFamily[];

/**
 * The value of one series (0 when absent): the sum of the samples whose labels include
 * `labels`; a histogram's count. The parser keeps neither labels nor count of a labelled
 * histogram (only its buckets), so a histogram is read from its +Inf bucket, unfiltered.
 */
export function metricValue(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((candidate) => candidate.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value))
    .reduce((sum, sample) => sum + Number(sample.value ?? sample.count ?? sample.buckets?.["+Inf"] ?? 0), 0);
}
