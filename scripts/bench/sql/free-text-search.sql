-- Free-text search in the trace API, the two ways, on a seeded cluster (scripts/bench-trace.sh with BENCH_DIR keeps one):
--   old: one query, WHERE text ILIKE … ORDER BY last change LIMIT 51 (the planner mostly walks the newest-first index)
--   new: what TraceQueries.Search does now: the newest 500 assets first; if fewer than a page match there, every match
--        through the trigram index (MATERIALIZED), then sorted.
-- 504 terms as people type them (bench-trace.sh's: 4 characters of a title or the end of a receipt/bill number, plus
-- 100 title words and 4 very common or punctuated terms), each planned afresh (EXECUTE), timed with clock_timestamp().
-- Usage: psql -h 127.0.0.1 -p <port> -U postgres -d bench -f scripts/bench/sql/free-text-search.sql
SET jit = off;
CREATE TEMP TABLE terms AS SELECT CASE WHEN title IS NOT NULL THEN substr(title, 3, 4) ELSE right(coalesce(receipt_number, bill_number), 8) END AS term FROM assets ORDER BY random() LIMIT 400;
INSERT INTO terms SELECT substr(title, 3, 4) FROM assets WHERE title IS NOT NULL ORDER BY random() LIMIT 100;
INSERT INTO terms VALUES ('WR20'), ('2025'), ('WR2025'), ('-20');
CREATE TEMP TABLE timings (term text, old_ms float, new_ms float, window_hit bool);
DO $$
DECLARE t text; s timestamptz; old_ms float; new_ms float; n int; hit bool;
  cond text := $c$(coalesce(a.title, '') || ' ' || coalesce(a.receipt_number, '') || ' ' || coalesce(a.bill_number, '')) ILIKE $1$c$;
  ord text := 'ORDER BY a.last_changed_at DESC, a.last_position DESC';
BEGIN
  FOR t IN SELECT term FROM terms LOOP
    s := clock_timestamp();
    EXECUTE format('SELECT count(*) FROM (SELECT * FROM assets a WHERE %s %s LIMIT 51) x', cond, ord) INTO n USING '%' || t || '%';
    old_ms := extract(epoch FROM clock_timestamp() - s) * 1000;
    s := clock_timestamp();
    EXECUTE format('SELECT count(*) FROM (SELECT * FROM (SELECT * FROM assets a %s LIMIT 500) a WHERE %s %s LIMIT 51) x', ord, cond, ord) INTO n USING '%' || t || '%';
    hit := n >= 51;
    IF NOT hit THEN
      EXECUTE format('WITH m AS MATERIALIZED (SELECT a.asset_id, a.last_changed_at, a.last_position FROM assets a WHERE %s) SELECT count(*) FROM (SELECT a.* FROM assets a JOIN (SELECT * FROM m a %s LIMIT 51) m USING (asset_id)) x', cond, ord) INTO n USING '%' || t || '%';
    END IF;
    new_ms := extract(epoch FROM clock_timestamp() - s) * 1000;
    INSERT INTO timings VALUES (t, old_ms, new_ms, hit);
  END LOOP;
END $$;
SELECT 'old' AS q, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY old_ms)::numeric, 1) p50, round(percentile_cont(0.9) WITHIN GROUP (ORDER BY old_ms)::numeric, 1) p90,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY old_ms)::numeric, 1) p99, round(max(old_ms)::numeric, 1) mx FROM timings
UNION ALL
SELECT 'new', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY new_ms)::numeric, 1), round(percentile_cont(0.9) WITHIN GROUP (ORDER BY new_ms)::numeric, 1),
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY new_ms)::numeric, 1), round(max(new_ms)::numeric, 1) FROM timings;
SELECT 'window answered', count(*) FILTER (WHERE window_hit), 'of', count(*) FROM timings;
SELECT term, round(old_ms::numeric,1), round(new_ms::numeric,1), window_hit FROM timings ORDER BY greatest(old_ms,new_ms) DESC LIMIT 8;
SELECT term, round(old_ms::numeric,1), round(new_ms::numeric,1), window_hit FROM timings WHERE term IN ('WR20','2025','WR2025','-20');
