-- Amazon Athena table for Streamdrop batch exporter s3-clicks: topic clicks, gzip-compressed JSON Lines, each line is an event itself.
-- Columns inferred from 2 sampled lines; fields not seen there are not columns.
-- amount holds integer and string values in the sample: typed as JSON text, so every line reads.
-- note was null in every sampled line: typed as a string.
-- Athena reads the gzip files by their suffix (.jsonl.gz).
-- The view s3_clicks_events leaves out the -invalid companion files (records that were not JSON objects); query it rather than the table.
CREATE EXTERNAL TABLE IF NOT EXISTS `s3_clicks` (
  `id` string,
  `userid` bigint,
  `price` double,
  `ok` boolean,
  `tags` array<string>,
  `strmmeta` struct<`schemaid`:string,`timestamp`:bigint>,
  `user_agent` string,
  `amount` string,
  `note` string
)
PARTITIONED BY (`dt` string, `hour` int)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true', 'mapping.user_agent' = 'user-agent')
LOCATION 's3://my-bucket/events/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2026-12-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.hour.type' = 'integer',
  'projection.hour.range' = '0,23',
  'projection.hour.digits' = '2',
  'storage.location.template' = 's3://my-bucket/events/dt=${dt}/hour=${hour}/'
);

CREATE OR REPLACE VIEW `s3_clicks_events` AS SELECT * FROM `s3_clicks` WHERE "$path" NOT LIKE '%-invalid.jsonl%';
