-- The sampling rate an endpoint keeps while its request-response logging is off, apart from logging_sampling_rate, which
-- from now on holds the rate it logs at: 0 while logging is off. A replica of a Lathe from before V007 reads
-- logging_sampling_rate alone, and logged at the kept rate after the primary turned logging off (probe ua F1). NULL for
-- endpoints written before this column: their logging_sampling_rate is the rate kept.

ALTER TABLE endpoints ADD COLUMN logging_kept_rate DOUBLE PRECISION;
