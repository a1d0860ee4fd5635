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
  uris = [
    'gs://my-bucket/events/dt=*0.jsonl.gz',
    'gs://my-bucket/events/dt=*1.jsonl.gz',
    'gs://my-bucket/events/dt=*2.jsonl.gz',
    'gs://my-bucket/events/dt=*3.jsonl.gz',
    'gs://my-bucket/events/dt=*4.jsonl.gz',
    'gs://my-bucket/events/dt=*5.jsonl.gz',
    'gs://my-bucket/events/dt=*6.jsonl.gz',
    'gs://my-bucket/events/dt=*7.jsonl.gz',
    'gs://my-bucket/events/dt=*8.jsonl.gz',
    'gs://my-bucket/events/dt=*9.jsonl.gz'
  ],
  hive_partition_uri_prefix = 'gs://my-bucket/events/',
  require_hive_partition_filter = false,
  compression = 'GZIP',
  ignore_unknown_values = true
);

CREATE OR REPLACE VIEW `your_project.your_dataset.gcs_clicks_events` AS
SELECT * FROM `your_project.your_dataset.gcs_clicks` WHERE REGEXP_CONTAINS(_FILE_NAME, r'^gs://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-clicks---[0-9]+(-[0-9]+)*(\.[0-9]+)?\.jsonl\.gz$');
