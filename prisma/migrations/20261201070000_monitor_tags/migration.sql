-- Tags on monitors: chips in the list, and a filter (tags @> ARRAY[tag], GIN-indexed).
ALTER TABLE "Website" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

CREATE INDEX "Website_tags_idx" ON "Website" USING GIN ("tags");
