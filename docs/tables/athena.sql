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

CREATE OR REPLACE VIEW "s3_clicks_events" AS SELECT * FROM "s3_clicks" WHERE regexp_like("$path", '^s3://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-clicks---[0-9]+(-[0-9]+)*(\.[0-9]+)?\.jsonl\.gz$');
