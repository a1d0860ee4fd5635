-- BigQuery table for Streamdrop batch exporter gcs-clicks: topic clicks, gzip-compressed JSON Lines, each line is an event itself.
-- Columns inferred from 2 sampled lines; fields not seen there are not columns.
-- amount holds integer and string values in the sample: typed as JSON text, so every line reads.
-- note was null in every sampled line: typed as a string.
-- Field user-agent is left out: BigQuery column names are letters, digits and _ only.
-- -invalid companion files (records that were not JSON objects) sit beside the events; ignore_unknown_values leaves their fields out, and WHERE _FILE_NAME NOT LIKE '%-invalid.jsonl%' leaves their rows out.
CREATE OR REPLACE EXTERNAL TABLE `your_project.your_dataset.gcs_clicks` (
  `id` STRING,
  `userId` INT64,
  `price` FLOAT64,
  `ok` BOOL,
  `tags` ARRAY<STRING>,
  `strmMeta` STRUCT<`schemaId` STRING, `timestamp` INT64>,
  `amount` JSON,
  `note` STRING
)
WITH PARTITION COLUMNS (
  `dt` DATE,
  `hour` INT64
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://my-bucket/events/*.jsonl.gz'],
  hive_partition_uri_prefix = 'gs://my-bucket/events/',
  require_hive_partition_filter = false,
  compression = 'GZIP',
  ignore_unknown_values = true
);
