-- The catalog counters of a database (drift.CatalogCounters): the rows inserted,
-- updated and deleted in the catalogs the catalog fingerprint (fingerprint.sql)
-- reads, from the cumulative statistics in shared memory (PostgreSQL 15 and
-- later), with the statistics' reset time and track_counts. A committed or
-- aborted DDL transaction adds its catalog row changes to these counters when it
-- ends; the backend publishes them when it next goes idle (within about a
-- second, at most a minute under contention, and at its exit). The query reads
-- no catalog table, so it costs well under a millisecond on a new connection
-- whatever the schema's size. Other databases' DDL does not move them, except
-- through the shared catalogs (pg_database, pg_authid, pg_auth_members), which
-- only costs a fingerprint read.
SELECT pg_catalog.current_setting('track_counts') || ' ' ||
       coalesce(pg_catalog.pg_stat_get_db_stat_reset_time(
         (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))::text, '-') || ' ' ||
       (SELECT sum(pg_catalog.pg_stat_get_tuples_inserted(c) + pg_catalog.pg_stat_get_tuples_updated(c) +
                   pg_catalog.pg_stat_get_tuples_deleted(c))::text || ' ' ||
               sum(pg_catalog.pg_stat_get_tuples_inserted(c) * 3 + pg_catalog.pg_stat_get_tuples_deleted(c) * 7)::text
        FROM pg_catalog.unnest('{pg_namespace,pg_database,pg_class,pg_attribute,pg_attrdef,pg_constraint,pg_index,pg_type,pg_enum,pg_range,pg_proc,pg_aggregate,pg_trigger,pg_event_trigger,pg_policy,pg_rewrite,pg_description,pg_seclabel,pg_depend,pg_extension,pg_sequence,pg_inherits,pg_partitioned_table,pg_statistic_ext,pg_collation,pg_conversion,pg_operator,pg_opclass,pg_opfamily,pg_amop,pg_amproc,pg_am,pg_cast,pg_transform,pg_language,pg_ts_config,pg_ts_config_map,pg_ts_dict,pg_ts_parser,pg_ts_template,pg_foreign_data_wrapper,pg_foreign_server,pg_foreign_table,pg_publication,pg_publication_rel,pg_publication_namespace,pg_default_acl,pg_init_privs,pg_authid,pg_auth_members}'::text[]) n,
             LATERAL (SELECT ('pg_catalog.' || n)::pg_catalog.regclass::pg_catalog.oid AS c) x)
