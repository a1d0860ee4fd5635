CREATE OR REPLACE VIEW "s3_clicks" AS
SELECT * FROM read_json(
  's3://my-bucket/events/dt=[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/hour=[0-9][0-9]/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]-clicks---*[0-9].jsonl.gz',
  format = 'newline_delimited',
  compression = 'gzip',
  columns = {'id': 'VARCHAR', 'userId': 'BIGINT', 'price': 'DOUBLE', 'ok': 'BOOLEAN', 'tags': 'VARCHAR[]', 'strmMeta': 'STRUCT("schemaId" VARCHAR, "timestamp" BIGINT)', 'user-agent': 'VARCHAR', 'amount': 'JSON', 'note': 'VARCHAR'},
  hive_partitioning = true,
  hive_types = {'dt': DATE, 'hour': INTEGER}
);
SELECT count(*) AS events FROM "s3_clicks";
