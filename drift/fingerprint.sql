-- The catalog fingerprint of a database (drift.Fingerprint): one row, a digest of
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
  SELECT 1, xmin::text::bigint FROM pg_catalog.pg_namespace WHERE oid NOT IN (SELECT oid FROM tmpns)
  UNION ALL SELECT 2, xmin::text::bigint FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()
  UNION ALL SELECT 3, xmin::text::bigint FROM pg_catalog.pg_class WHERE oid >= 16384 AND oid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 4, xmin::text::bigint FROM pg_catalog.pg_attribute WHERE attrelid >= 16384 AND attrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 5, xmin::text::bigint FROM pg_catalog.pg_attrdef WHERE adrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 6, xmin::text::bigint FROM pg_catalog.pg_constraint WHERE oid >= 16384 AND connamespace NOT IN (SELECT oid FROM tmpns)
  UNION ALL SELECT 7, xmin::text::bigint FROM pg_catalog.pg_index WHERE indexrelid >= 16384 AND indrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 8, xmin::text::bigint FROM pg_catalog.pg_type WHERE oid >= 16384 AND typnamespace NOT IN (SELECT oid FROM tmpns)
  UNION ALL SELECT 9, xmin::text::bigint FROM pg_catalog.pg_enum WHERE oid >= 16384
  UNION ALL SELECT 10, xmin::text::bigint FROM pg_catalog.pg_range WHERE rngtypid >= 16384
  UNION ALL SELECT 11, xmin::text::bigint FROM pg_catalog.pg_proc WHERE oid >= 16384
  UNION ALL SELECT 12, xmin::text::bigint FROM pg_catalog.pg_aggregate WHERE aggfnoid >= 16384
  UNION ALL SELECT 13, xmin::text::bigint FROM pg_catalog.pg_trigger WHERE oid >= 16384 AND tgrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 14, xmin::text::bigint FROM pg_catalog.pg_event_trigger
  UNION ALL SELECT 15, xmin::text::bigint FROM pg_catalog.pg_policy
  UNION ALL SELECT 16, xmin::text::bigint FROM pg_catalog.pg_rewrite WHERE oid >= 16384 AND ev_class NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 17, xmin::text::bigint FROM pg_catalog.pg_description
    WHERE (objoid >= 16384 OR classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass) AND objoid NOT IN (SELECT oid FROM tmpobj)
  UNION ALL SELECT 18, xmin::text::bigint FROM pg_catalog.pg_seclabel
  UNION ALL SELECT 19, xmin::text::bigint FROM pg_catalog.pg_depend
    WHERE (objid >= 16384 OR refobjid >= 16384) AND objid NOT IN (SELECT oid FROM tmpobj) AND refobjid NOT IN (SELECT oid FROM tmpobj)
  UNION ALL SELECT 20, xmin::text::bigint FROM pg_catalog.pg_extension
  UNION ALL SELECT 21, xmin::text::bigint FROM pg_catalog.pg_sequence WHERE seqrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 22, xmin::text::bigint FROM pg_catalog.pg_inherits WHERE inhrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 23, xmin::text::bigint FROM pg_catalog.pg_partitioned_table WHERE partrelid NOT IN (SELECT oid FROM tmprel)
  UNION ALL SELECT 24, xmin::text::bigint FROM pg_catalog.pg_statistic_ext
  UNION ALL SELECT 25, xmin::text::bigint FROM pg_catalog.pg_collation WHERE oid >= 16384
  UNION ALL SELECT 26, xmin::text::bigint FROM pg_catalog.pg_conversion WHERE oid >= 16384
  UNION ALL SELECT 27, xmin::text::bigint FROM pg_catalog.pg_operator WHERE oid >= 16384
  UNION ALL SELECT 28, xmin::text::bigint FROM pg_catalog.pg_opclass WHERE oid >= 16384
  UNION ALL SELECT 29, xmin::text::bigint FROM pg_catalog.pg_opfamily WHERE oid >= 16384
  UNION ALL SELECT 30, xmin::text::bigint FROM pg_catalog.pg_amop WHERE oid >= 16384
  UNION ALL SELECT 31, xmin::text::bigint FROM pg_catalog.pg_amproc WHERE oid >= 16384
  UNION ALL SELECT 32, xmin::text::bigint FROM pg_catalog.pg_am WHERE oid >= 16384
  UNION ALL SELECT 33, xmin::text::bigint FROM pg_catalog.pg_cast WHERE oid >= 16384
  UNION ALL SELECT 34, xmin::text::bigint FROM pg_catalog.pg_transform
  UNION ALL SELECT 35, xmin::text::bigint FROM pg_catalog.pg_language
  UNION ALL SELECT 36, xmin::text::bigint FROM pg_catalog.pg_ts_config WHERE oid >= 16384
  UNION ALL SELECT 37, xmin::text::bigint FROM pg_catalog.pg_ts_config_map WHERE mapcfg >= 16384
  UNION ALL SELECT 38, xmin::text::bigint FROM pg_catalog.pg_ts_dict WHERE oid >= 16384
  UNION ALL SELECT 39, xmin::text::bigint FROM pg_catalog.pg_ts_parser WHERE oid >= 16384
  UNION ALL SELECT 40, xmin::text::bigint FROM pg_catalog.pg_ts_template WHERE oid >= 16384
  UNION ALL SELECT 41, xmin::text::bigint FROM pg_catalog.pg_foreign_data_wrapper
  UNION ALL SELECT 42, xmin::text::bigint FROM pg_catalog.pg_foreign_server
  UNION ALL SELECT 43, xmin::text::bigint FROM pg_catalog.pg_foreign_table
  UNION ALL SELECT 44, xmin::text::bigint FROM pg_catalog.pg_publication
  UNION ALL SELECT 45, xmin::text::bigint FROM pg_catalog.pg_publication_rel
  UNION ALL SELECT 46, xmin::text::bigint FROM pg_catalog.pg_publication_namespace
  UNION ALL SELECT 47, xmin::text::bigint FROM pg_catalog.pg_default_acl
  UNION ALL SELECT 48, xmin::text::bigint FROM pg_catalog.pg_init_privs WHERE objoid >= 16384
), t(s) AS (
  -- Roles are shared by the server's databases: a role renamed changes the
  -- owners and grantees the inspection shows without a row of this database
  -- changing. Their names (of the roles this database's objects refer to, the
  -- bootstrap superuser and the connected role) are part of the digest.
  SELECT 'role ' || r.oid::text || ' ' || r.rolname FROM pg_catalog.pg_roles r
    WHERE r.oid = 10 OR r.rolname = current_user OR r.oid IN (
      SELECT refobjid FROM pg_catalog.pg_shdepend
      WHERE refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
        AND dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))
  -- What the privileges check (drift.TargetPrivileges) reads.
  UNION ALL SELECT 'privilege ' || pg_catalog.concat_ws(' ', current_user, session_user, current_setting('server_version_num'),
      r.rolname, r.rolsuper, r.rolcreaterole, r.rolreplication)
    FROM pg_catalog.pg_roles r
    WHERE (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
      AND (r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolname = ANY ($1))
)
-- The rows of r are summed, not sorted: the count and two sums of 64-bit hashes
-- of (catalog, xmin) with two seeds (a multiset hash; a change that leaves all
-- three equal is a 2^-128 chance). Sorting and concatenating them cost twice the
-- time of the whole query. The few rows of t are sorted in the C collation.
SELECT (SELECT count(*)::text || ' ' || coalesce(sum(pg_catalog.hashint8extended((c::bigint << 32) | x, 0)), 0)::text || ' ' ||
               coalesce(sum(pg_catalog.hashint8extended((c::bigint << 32) | x, 1)), 0)::text FROM r) || ' ' ||
       pg_catalog.md5(coalesce((SELECT pg_catalog.string_agg(s, ',' ORDER BY s COLLATE "C") FROM t), '')),
       (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'schemactl_graveyard' AND c.relkind IN ('r', 'p'))
