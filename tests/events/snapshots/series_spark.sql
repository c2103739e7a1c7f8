WITH base AS (
  SELECT *, year(event_date) AS p_year, CAST(floor((month(event_date) - 1) / 3) AS INT) + 1 AS p_key
  FROM events
  WHERE event_date IS NOT NULL AND year >= 2014 AND event_date >= DATE '2014-01-01'
),
totals AS (
  SELECT p_year, p_key, count(*) AS all_events FROM base GROUP BY p_year, p_key
),
agg AS (
  SELECT
    p_year,
    p_key,
    count(*) AS events,
    sum(goldstein_scale) AS goldstein_sum,
    avg(goldstein_scale) AS goldstein_mean,
    sum(CASE WHEN goldstein_scale IS NOT NULL THEN goldstein_scale * num_mentions END)
      AS weighted_sum,
    sum(CASE WHEN goldstein_scale IS NOT NULL THEN num_mentions END) AS weight,
    sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END) AS verbal_coop,
    sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END) AS material_coop,
    sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS verbal_conflict,
    sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict,
    sum(CASE WHEN event_root_code = '01' THEN 1 ELSE 0 END) AS root_01,
    sum(CASE WHEN event_root_code = '02' THEN 1 ELSE 0 END) AS root_02,
    sum(CASE WHEN event_root_code = '03' THEN 1 ELSE 0 END) AS root_03,
    sum(CASE WHEN event_root_code = '04' THEN 1 ELSE 0 END) AS root_04,
    sum(CASE WHEN event_root_code = '05' THEN 1 ELSE 0 END) AS root_05,
    sum(CASE WHEN event_root_code = '06' THEN 1 ELSE 0 END) AS root_06,
    sum(CASE WHEN event_root_code = '07' THEN 1 ELSE 0 END) AS root_07,
    sum(CASE WHEN event_root_code = '08' THEN 1 ELSE 0 END) AS root_08,
    sum(CASE WHEN event_root_code = '09' THEN 1 ELSE 0 END) AS root_09,
    sum(CASE WHEN event_root_code = '10' THEN 1 ELSE 0 END) AS root_10,
    sum(CASE WHEN event_root_code = '11' THEN 1 ELSE 0 END) AS root_11,
    sum(CASE WHEN event_root_code = '12' THEN 1 ELSE 0 END) AS root_12,
    sum(CASE WHEN event_root_code = '13' THEN 1 ELSE 0 END) AS root_13,
    sum(CASE WHEN event_root_code = '14' THEN 1 ELSE 0 END) AS root_14,
    sum(CASE WHEN event_root_code = '15' THEN 1 ELSE 0 END) AS root_15,
    sum(CASE WHEN event_root_code = '16' THEN 1 ELSE 0 END) AS root_16,
    sum(CASE WHEN event_root_code = '17' THEN 1 ELSE 0 END) AS root_17,
    sum(CASE WHEN event_root_code = '18' THEN 1 ELSE 0 END) AS root_18,
    sum(CASE WHEN event_root_code = '19' THEN 1 ELSE 0 END) AS root_19,
    sum(CASE WHEN event_root_code = '20' THEN 1 ELSE 0 END) AS root_20
  FROM base
  WHERE ((actor1_iso3 = 'RUS' AND actor2_iso3 = 'CHN') OR (actor1_iso3 = 'CHN' AND actor2_iso3 = 'RUS')) AND is_root_event = 1 AND (actor1_type1_code IN ('GOV') OR actor1_type2_code IN ('GOV') OR actor1_type3_code IN ('GOV')) AND (actor2_type1_code IN ('GOV') OR actor2_type2_code IN ('GOV') OR actor2_type3_code IN ('GOV'))
  GROUP BY p_year, p_key
)
SELECT
  'RUS' AS a,
  'CHN' AS b,
  concat(CAST(t.p_year AS STRING), '-Q', CAST(t.p_key AS STRING)) AS period,
  CAST(coalesce(g.events, 0) AS BIGINT) AS events,
  CAST(coalesce(g.events, 0) AS DOUBLE) / CAST(t.all_events AS DOUBLE) AS events_share,
  CAST(g.goldstein_sum AS DOUBLE) AS goldstein_sum,
  CAST(g.goldstein_mean AS DOUBLE) AS goldstein_mean,
  CAST(g.weighted_sum AS DOUBLE) / CAST(nullif(g.weight, 0) AS DOUBLE)
    AS goldstein_weighted_mean,
  CAST(coalesce(g.verbal_coop, 0) AS BIGINT) AS verbal_coop,
  CAST(coalesce(g.material_coop, 0) AS BIGINT) AS material_coop,
  CAST(coalesce(g.verbal_conflict, 0) AS BIGINT) AS verbal_conflict,
  CAST(coalesce(g.material_conflict, 0) AS BIGINT) AS material_conflict,
  CAST(g.verbal_coop + g.material_coop AS DOUBLE) / CAST(g.events AS DOUBLE) AS coop_share,
  (g.verbal_conflict + 2 * g.material_conflict - g.verbal_coop - 2 * g.material_coop) / (2 * CAST(g.events AS DOUBLE)) AS conflict_index,
  CAST(coalesce(g.root_01, 0) AS BIGINT) AS root_01,
  CAST(coalesce(g.root_02, 0) AS BIGINT) AS root_02,
  CAST(coalesce(g.root_03, 0) AS BIGINT) AS root_03,
  CAST(coalesce(g.root_04, 0) AS BIGINT) AS root_04,
  CAST(coalesce(g.root_05, 0) AS BIGINT) AS root_05,
  CAST(coalesce(g.root_06, 0) AS BIGINT) AS root_06,
  CAST(coalesce(g.root_07, 0) AS BIGINT) AS root_07,
  CAST(coalesce(g.root_08, 0) AS BIGINT) AS root_08,
  CAST(coalesce(g.root_09, 0) AS BIGINT) AS root_09,
  CAST(coalesce(g.root_10, 0) AS BIGINT) AS root_10,
  CAST(coalesce(g.root_11, 0) AS BIGINT) AS root_11,
  CAST(coalesce(g.root_12, 0) AS BIGINT) AS root_12,
  CAST(coalesce(g.root_13, 0) AS BIGINT) AS root_13,
  CAST(coalesce(g.root_14, 0) AS BIGINT) AS root_14,
  CAST(coalesce(g.root_15, 0) AS BIGINT) AS root_15,
  CAST(coalesce(g.root_16, 0) AS BIGINT) AS root_16,
  CAST(coalesce(g.root_17, 0) AS BIGINT) AS root_17,
  CAST(coalesce(g.root_18, 0) AS BIGINT) AS root_18,
  CAST(coalesce(g.root_19, 0) AS BIGINT) AS root_19,
  CAST(coalesce(g.root_20, 0) AS BIGINT) AS root_20
FROM totals t
LEFT JOIN agg g ON t.p_year = g.p_year AND t.p_key = g.p_key
ORDER BY t.p_year, t.p_key
