-- Whether an endpoint's request-response logging is on (Vertex AI's predictRequestResponseLoggingConfig.enabled), kept
-- apart from its sampling rate: {"enabled": false, "samplingRate": 0.3} keeps the rate 0.3 for when logging is turned on
-- again, and logs nothing meanwhile. NULL for the endpoints stored before this column, which log when their rate is
-- above 0 (what the rate alone meant).

ALTER TABLE endpoints ADD COLUMN logging_enabled BOOLEAN;
