-- DuckDB table for Streamdrop batch exporter s3-clicks: topic clicks, gzip-compressed JSON Lines, each line is an event itself.
-- Columns inferred from 2 sampled lines; fields not seen there are not columns.
-- amount holds integer and string values in the sample: typed as JSON text, so every line reads.
-- note was null in every sampled line: typed as a string.
-- Reading s3:// needs DuckDB's httpfs extension and a secret, for example:
--   INSTALL httpfs; LOAD httpfs; CREATE SECRET (TYPE s3, PROVIDER credential_chain);
CREATE OR REPLACE VIEW s3_clicks AS
SELECT * FROM read_json(
  's3://my-bucket/events/dt=*/hour=*/*[0-9].jsonl.gz',
  format = 'newline_delimited',
  compression = 'gzip',
  columns = {'id': 'VARCHAR', 'userId': 'BIGINT', 'price': 'DOUBLE', 'ok': 'BOOLEAN', 'tags': 'VARCHAR[]', 'strmMeta': 'STRUCT("schemaId" VARCHAR, "timestamp" BIGINT)', 'user-agent': 'VARCHAR', 'amount': 'JSON', 'note': 'VARCHAR'},
  hive_partitioning = true,
  hive_types = {'dt': DATE, 'hour': INTEGER}
);
SELECT count(*) AS events FROM s3_clicks;
