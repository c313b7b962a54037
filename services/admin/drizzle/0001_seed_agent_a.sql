-- The original broker's demo agent (create_tables.sql), with its topic names. Runs once, like every migration,
-- so an admin who deletes or renames it does not see it come back on the next start.
INSERT INTO "agents" ("name", "slug", "description", "read_topic", "write_topic", "error_topic")
SELECT 'Agent A', 'Agent_A', 'Demo agent seeded from the original broker', 'agent_A-in', 'agent_A-out', 'agent_A-error'
WHERE NOT EXISTS (SELECT 1 FROM "agents" WHERE "name" = 'Agent A');
