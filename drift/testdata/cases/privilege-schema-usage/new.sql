CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO schemactl_case_reader;
GRANT USAGE, CREATE ON SCHEMA app TO schemactl_case_writer;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
