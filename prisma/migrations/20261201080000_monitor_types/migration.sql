-- Monitor types: HTTP(S) requests (every existing monitor) and TCP port checks, whose
-- url reads tcp://host:port.
CREATE TYPE "MonitorType" AS ENUM ('HTTP', 'TCP');

ALTER TABLE "Website" ADD COLUMN     "tcpTls" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "type" "MonitorType" NOT NULL DEFAULT 'HTTP';
