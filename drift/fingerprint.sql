-- The catalog fingerprint of a database (drift.Fingerprint): one row, the md5 of
-- every catalog row the inspection, the planner and the agent's per-pass checks
-- read, by system column xmin (the transaction that wrote the row version), plus
-- the names of the roles the database's objects refer to and what the
-- privileges check reads. Any committed DDL, GRANT, COMMENT, ALTER ... OWNER,
-- SET STATISTICS or RLS switch writes a new row version (a new xmin) or removes a
-- row, so it changes the multiset of xmins and the digest. VACUUM, ANALYZE and
-- freezing update pg_class and pg_database in place (no new xmin) and keep the
-- raw xmin, so they change nothing. User objects have oids >= 16384
-- (FirstNormalObjectId; the oid counter never wraps below it); the system's own
-- rows are left out, except those a user may alter (schemas, the database, the
-- extensions). Temporary objects (pg_temp_N), which the inspection never reads,
-- are left out so that sessions' temporary tables do not defeat the fingerprint.
-- $1: the dangerous predefined roles of the privileges check.
WITH tmpns AS (
  SELECT oid FROM pg_catalog.pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_'
), tmprel AS (
  SELECT oid FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM tmpns)
), tmpobj AS (
  SELECT oid FROM tmpns UNION ALL SELECT oid FROM tmprel
  UNION ALL SELECT oid FROM pg_catalog.pg_type WHERE typnamespace IN (SELECT oid FROM tmpns)
), r(c, x) AS (
  SELECT 'namespace', xmin::text FROM pg_catalog.pg_namespace WHERE oid NOT IN (SELECT oid FROM tmpns)
  UNION ALL SELECT 'database', xmin::text FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()
  UNION ALL SELECT 'class', xmin::text FROM pg_catalog.pg_class WHERE oid >= 16384 AND oid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'attribute', xmin::text FROM pg_catalog.pg_attribute WHERE attrelid >= 16384 AND attrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'attrdef', xmin::text FROM pg_catalog.pg_attrdef WHERE adrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'constraint', xmin::text FROM pg_catalog.pg_constraint WHERE oid >= 16384 AND connamespace NOT IN (SELECT oid FROM tmpns)
  UNION ALL SELECT 'index', xmin::text FROM pg_catalog.pg_index WHERE indexrelid >= 16384 AND indrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'type', xmin::text FROM pg_catalog.pg_type WHERE oid >= 16384 AND typnamespace NOT IN (SELECT oid FROM tmpns)
  UNION ALL SELECT 'enum', xmin::text FROM pg_catalog.pg_enum WHERE oid >= 16384
  UNION ALL SELECT 'range', xmin::text FROM pg_catalog.pg_range WHERE rngtypid >= 16384
  UNION ALL SELECT 'proc', xmin::text FROM pg_catalog.pg_proc WHERE oid >= 16384
  UNION ALL SELECT 'aggregate', xmin::text FROM pg_catalog.pg_aggregate WHERE aggfnoid >= 16384
  UNION ALL SELECT 'trigger', xmin::text FROM pg_catalog.pg_trigger WHERE oid >= 16384 AND tgrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'event trigger', xmin::text FROM pg_catalog.pg_event_trigger
  UNION ALL SELECT 'policy', xmin::text FROM pg_catalog.pg_policy
  UNION ALL SELECT 'rewrite', xmin::text FROM pg_catalog.pg_rewrite WHERE oid >= 16384 AND ev_class NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'description', xmin::text FROM pg_catalog.pg_description
    WHERE (objoid >= 16384 OR classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass) AND objoid NOT IN (SELECT oid FROM tmpobj)
  UNION ALL SELECT 'seclabel', xmin::text FROM pg_catalog.pg_seclabel
  UNION ALL SELECT 'depend', xmin::text FROM pg_catalog.pg_depend
    WHERE (objid >= 16384 OR refobjid >= 16384) AND objid NOT IN (SELECT oid FROM tmpobj) AND refobjid NOT IN (SELECT oid FROM tmpobj)
  UNION ALL SELECT 'extension', xmin::text FROM pg_catalog.pg_extension
  UNION ALL SELECT 'sequence', xmin::text FROM pg_catalog.pg_sequence WHERE seqrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'inherits', xmin::text FROM pg_catalog.pg_inherits WHERE inhrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'partitioned table', xmin::text FROM pg_catalog.pg_partitioned_table WHERE partrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 'statistic ext', xmin::text FROM pg_catalog.pg_statistic_ext
  UNION ALL SELECT 'collation', xmin::text FROM pg_catalog.pg_collation WHERE oid >= 16384
  UNION ALL SELECT 'conversion', xmin::text FROM pg_catalog.pg_conversion WHERE oid >= 16384
  UNION ALL SELECT 'operator', xmin::text FROM pg_catalog.pg_operator WHERE oid >= 16384
  UNION ALL SELECT 'opclass', xmin::text FROM pg_catalog.pg_opclass WHERE oid >= 16384
  UNION ALL SELECT 'opfamily', xmin::text FROM pg_catalog.pg_opfamily WHERE oid >= 16384
  UNION ALL SELECT 'amop', xmin::text FROM pg_catalog.pg_amop WHERE oid >= 16384
  UNION ALL SELECT 'amproc', xmin::text FROM pg_catalog.pg_amproc WHERE oid >= 16384
  UNION ALL SELECT 'am', xmin::text FROM pg_catalog.pg_am WHERE oid >= 16384
  UNION ALL SELECT 'cast', xmin::text FROM pg_catalog.pg_cast WHERE oid >= 16384
  UNION ALL SELECT 'transform', xmin::text FROM pg_catalog.pg_transform
  UNION ALL SELECT 'language', xmin::text FROM pg_catalog.pg_language
  UNION ALL SELECT 'ts config', xmin::text FROM pg_catalog.pg_ts_config WHERE oid >= 16384
  UNION ALL SELECT 'ts config map', xmin::text FROM pg_catalog.pg_ts_config_map WHERE mapcfg >= 16384
  UNION ALL SELECT 'ts dict', xmin::text FROM pg_catalog.pg_ts_dict WHERE oid >= 16384
  UNION ALL SELECT 'ts parser', xmin::text FROM pg_catalog.pg_ts_parser WHERE oid >= 16384
  UNION ALL SELECT 'ts template', xmin::text FROM pg_catalog.pg_ts_template WHERE oid >= 16384
  UNION ALL SELECT 'fdw', xmin::text FROM pg_catalog.pg_foreign_data_wrapper
  UNION ALL SELECT 'foreign server', xmin::text FROM pg_catalog.pg_foreign_server
  UNION ALL SELECT 'foreign table', xmin::text FROM pg_catalog.pg_foreign_table
  UNION ALL SELECT 'publication', xmin::text FROM pg_catalog.pg_publication
  UNION ALL SELECT 'publication rel', xmin::text FROM pg_catalog.pg_publication_rel
  UNION ALL SELECT 'publication namespace', xmin::text FROM pg_catalog.pg_publication_namespace
  UNION ALL SELECT 'default acl', xmin::text FROM pg_catalog.pg_default_acl
  UNION ALL SELECT 'init privs', xmin::text FROM pg_catalog.pg_init_privs WHERE objoid >= 16384
  -- Roles are shared by the server's databases: a role renamed changes the
  -- owners and grantees the inspection shows without a row of this database
  -- changing. Their names (of the roles this database's objects refer to, the
  -- bootstrap superuser and the connected role) are part of the digest.
  UNION ALL SELECT 'role', r.oid::text || ' ' || r.rolname FROM pg_catalog.pg_roles r
    WHERE r.oid = 10 OR r.rolname = current_user OR r.oid IN (
      SELECT refobjid FROM pg_catalog.pg_shdepend
      WHERE refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
        AND dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))
  -- What the privileges check (drift.TargetPrivileges) reads.
  UNION ALL SELECT 'privilege', pg_catalog.concat_ws(' ', current_user, session_user, current_setting('server_version_num'),
      r.rolname, r.rolsuper, r.rolcreaterole, r.rolreplication)
    FROM pg_catalog.pg_roles r
    WHERE (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
      AND (r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolname = ANY ($1))
)
SELECT pg_catalog.md5(pg_catalog.string_agg(c || ' ' || x, ',' ORDER BY c, x)),
       (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'schemactl_graveyard' AND c.relkind IN ('r', 'p'))
FROM r
