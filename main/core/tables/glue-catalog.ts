// The Glue catalog's limits, which every Athena table's columns must meet (Athena keeps its tables there).

/** The longest column name, and longest SerDe property key (`mapping.<column>`): 255 (bytes of UTF-8; these names are ASCII). */
export const glueNameLength = 255;

/** The longest column type (`struct<…>` spelled out). */
export const glueTypeLength = 131_072;
