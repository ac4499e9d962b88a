-- A monitor type's target in typed columns (docs/decisions/009-monitor-types.md): TCP and
-- TLS monitors' host and port, a DNS monitor's name. Until now they were read back from
-- `url` (tcp://host:port, tls://host:port with IPv6 in brackets, the bare name), which
-- stays as what the API and exports show.
ALTER TABLE "Website" ADD COLUMN "targetHost" TEXT, ADD COLUMN "targetPort" INTEGER;

UPDATE "Website" w
SET "targetHost" = COALESCE(parsed.m[1], parsed.m[2]),
    "targetPort" = COALESCE(parsed.m[3]::integer, 443)
FROM (
  SELECT id, regexp_match(url, '^[a-z]+://(?:\[([^]]+)\]|([^:/\[\]]+))(?::(\d+))?$') AS m
  FROM "Website" WHERE type IN ('TCP', 'TLS')
) parsed
WHERE w.id = parsed.id AND parsed.m IS NOT NULL;

UPDATE "Website" SET "targetHost" = url WHERE type = 'DNS';
