-- Set-based catalog queries of the inspector: one query per object kind, never one per
-- table. Every query takes $1, the managed schemas (an empty array means every
-- non-system schema), and runs with search_path = '' so that PostgreSQL's renderings
-- (format_type, pg_get_expr, pg_get_indexdef, ...) schema-qualify every name the same way
-- on every server. Objects that belong to an extension (pg_depend deptype 'e') are left
-- out: the extension owns them.

-- name: namespaces
SELECT n.nspname, coalesce(d.description, '')
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objsubid = 0
WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl', 'schemactl_graveyard')
  AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND e.objid = n.oid AND e.deptype = 'e')
ORDER BY 1;

-- name: extensions
SELECT e.extname, n.nspname, e.extversion, coalesce(d.description, ''),
       coalesce((SELECT pg_catalog.array_agg(t.typname::text ORDER BY t.typname) FROM pg_catalog.pg_depend x
                 JOIN pg_catalog.pg_type t ON t.oid = x.objid
                 WHERE x.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                   AND x.refobjid = e.oid AND x.deptype = 'e'), '{}')
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.objsubid = 0
WHERE pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[])
ORDER BY 1;

-- name: sequences
SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       c.relpersistence = 'u',
       coalesce((SELECT pg_catalog.format('%I.%I.%I', tn.nspname, tc.relname, ta.attname)
                 FROM pg_catalog.pg_depend o
                 JOIN pg_catalog.pg_class tc ON tc.oid = o.refobjid
                 JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
                 JOIN pg_catalog.pg_attribute ta ON ta.attrelid = tc.oid AND ta.attnum = o.refobjsubid
                 WHERE o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.objid = c.oid AND o.deptype = 'a'
                   AND o.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.refobjsubid > 0
                 LIMIT 1), ''),
       coalesce(d.description, '')
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i')
ORDER BY 1, 2;

-- name: positions
-- Where each sequence of the managed schemas stands, identity sequences included:
-- state, not schema, read only when a plan changes a sequence's options (a restart
-- may be needed), because pg_sequence_last_value reads every sequence. Readable is
-- whether this role may read it; a NULL last value: never called since created or
-- restarted.
SELECT n.nspname, c.relname, pg_catalog.format('%I.%I', n.nspname, c.relname), p.readable,
       CASE WHEN p.readable THEN pg_catalog.pg_sequence_last_value(c.oid) END
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT pg_catalog.has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable OFFSET 0) p
WHERE {{managed "n"}} AND {{notext "pg_class" "c.oid"}};

-- name: tables
SELECT c.oid, n.nspname, c.relname, c.relpersistence = 'u',
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) ELSE '' END,
       coalesce((SELECT pg_catalog.format('%I.%I', pn.nspname, pc.relname) FROM pg_catalog.pg_inherits i
                 JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE i.inhrelid = c.oid AND c.relispartition), ''),
       coalesce(pg_catalog.pg_get_expr(c.relpartbound, c.oid), ''),
       coalesce((SELECT pg_catalog.array_agg(pg_catalog.format('%I.%I', pn.nspname, pc.relname) ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i
                 JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE i.inhrelid = c.oid AND NOT c.relispartition), '{}'),
       -- the TOAST table's storage parameters are the table's "toast." ones
       CASE WHEN c.reloptions IS NULL AND tc.reloptions IS NULL THEN '{}'
            ELSE coalesce((SELECT pg_catalog.array_agg(o ORDER BY o) FROM (SELECT pg_catalog.unnest(c.reloptions)
                           UNION ALL SELECT 'toast.' || pg_catalog.unnest(tc.reloptions)) x(o)), '{}') END,
       c.relrowsecurity, c.relforcerowsecurity, c.relreplident::text,
       CASE WHEN c.relreplident = 'i' THEN coalesce((SELECT ri.relname FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ri ON ri.oid = x.indexrelid
                 WHERE x.indrelid = c.oid AND x.indisreplident), '') ELSE '' END,
       coalesce(am.amname, ''),
       CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) ELSE '' END,
       coalesce(d.description, ''),
       -- CLUSTER ON the index of a key (plain indexes carry their own flag)
       coalesce(ck.conname, ''),
       c.relnatts,
       CASE WHEN c.relispartition THEN coalesce(pg_catalog.pg_get_partition_constraintdef(c.oid), '') ELSE '' END
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid
LEFT JOIN (SELECT x.indrelid, k.conname FROM pg_catalog.pg_index x
           JOIN pg_catalog.pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')
           WHERE x.indisclustered) ck ON ck.indrelid = c.oid
LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY 2, 3;

-- name: columns
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
            THEN pg_catalog.format('%I.%I', cn.nspname, co.collname) ELSE '' END,
       CASE WHEN a.attgenerated = '' THEN coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '') ELSE '' END,
       a.attnotnull, a.attidentity::text,
       CASE WHEN a.attgenerated <> '' THEN coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '') ELSE '' END,
       coalesce(a.attstattarget::int, -1),
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text ELSE '' END, t.typstorage::text,
       a.attcompression::text, NOT a.attislocal,
       coalesce(s.seqtype, ''), coalesce(s.seqname, ''), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       coalesce(d.description, ''),
       -- attribute options, raw: columnOptions leaves out those the server keeps
       -- for itself and sorts them
       a.attoptions,
       coalesce(s.seqcomment, '')
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
-- the identity sequences, read once (a join per column would probe pg_depend for
-- every column)
LEFT JOIN (SELECT sd.refobjid, sd.refobjsubid, pg_catalog.format_type(sq.seqtypid, NULL) AS seqtype,
                  pg_catalog.format('%I.%I', sn.nspname, sc.relname) AS seqname,
                  sq.seqstart, sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcache, sq.seqcycle, sdc.description AS seqcomment
           FROM pg_catalog.pg_depend sd
           JOIN pg_catalog.pg_sequence sq ON sq.seqrelid = sd.objid
           JOIN pg_catalog.pg_class sc ON sc.oid = sq.seqrelid
           JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
           LEFT JOIN pg_catalog.pg_description sdc ON sdc.objoid = sq.seqrelid AND sdc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND sdc.objsubid = 0
           WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND sd.deptype = 'i') s
     ON a.attidentity <> '' AND s.refobjid = a.attrelid AND s.refobjsubid = a.attnum
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY a.attrelid, a.attnum;

-- name: constraints
SELECT co.conrelid, co.conname, co.contype::text, pg_catalog.pg_get_constraintdef(co.oid),
       -- pg_get_constraintdef leaves out the storage parameters of a key's index
       coalesce(pg_catalog.array_to_string(ci.reloptions, ', '), ''),
       co.convalidated,
       CASE WHEN co.contype = 'f' THEN pg_catalog.format('%I.%I', fn.nspname, fc.relname) ELSE '' END,
       NOT co.conislocal OR co.conparentid <> 0,
       coalesce(d.description, ''),
       -- a partition's key whose index a plain partitioned index adopted (no
       -- parent constraint): the partitioned index it is attached to
       CASE WHEN ci.relispartition AND co.conparentid = 0 THEN coalesce((SELECT pg_catalog.format('%I.%I', pn.nspname, pc.relname) FROM pg_catalog.pg_inherits h
                 JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE h.inhrelid = co.conindid), '') ELSE '' END,
       coalesce(di.description, '')
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
-- a key's index
LEFT JOIN pg_catalog.pg_class ci ON ci.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
LEFT JOIN pg_catalog.pg_description di ON di.objoid = ci.oid AND di.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND di.objsubid = 0
WHERE co.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
  -- a foreign key to a partitioned table has a clone on the same table for each
  -- partition it references: PostgreSQL's bookkeeping of the one key
  AND NOT (co.contype = 'f' AND co.conparentid <> 0 AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint pco WHERE pco.oid = co.conparentid AND pco.conrelid = co.conrelid))
ORDER BY co.conrelid, co.conname;

-- name: indexes
SELECT n.nspname, ic.relname, pg_catalog.format('%I.%I', n.nspname, c.relname), pg_catalog.pg_get_indexdef(i.indexrelid),
       i.indisunique, i.indisvalid AND i.indisready, i.indisclustered,
       -- the partitioned index it is attached to (only a partition's index is)
       CASE WHEN ic.relispartition THEN coalesce((SELECT pg_catalog.format('%I.%I', pn.nspname, pc.relname) FROM pg_catalog.pg_inherits h
                 JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE h.inhrelid = i.indexrelid), '') ELSE '' END,
       coalesce(d.description, ''),
       -- statistics targets, which only an expression column can have
       CASE WHEN i.indexprs IS NOT NULL THEN coalesce((SELECT pg_catalog.array_agg(ia.attnum || '=' || ia.attstattarget ORDER BY ia.attnum) FROM pg_catalog.pg_attribute ia
                 WHERE ia.attrelid = i.indexrelid AND coalesce(ia.attstattarget::int, -1) >= 0), '{}') ELSE '{}' END
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
  -- a key's index is the key's (constraints); read once into a hashed subplan
  -- (conindid has no index: NOT EXISTS scanned the table's constraints per index)
  AND i.indexrelid NOT IN (SELECT k.conindid FROM pg_catalog.pg_constraint k WHERE k.contype IN ('p', 'u', 'x'))
ORDER BY 1, 2;

-- name: unsupported
-- Every object kind the planner does not manage yet, with a canonical rendering of its
-- definition (and comment) so that drift in it is reported rather than ignored.
SELECT kind, schema, name, definition FROM (
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'composite type' END AS kind,
         n.nspname AS schema, c.relname AS name,
         concat_ws(E'\n', CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END,
                   'options: ' || c.reloptions::text,
                   'columns: ' || (SELECT pg_catalog.string_agg(pg_catalog.format('%I %s%s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                                                     coalesce(' default ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')), ', ' ORDER BY a.attnum)
                                   FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                   CASE WHEN c.relkind = 'f' THEN (SELECT 'server: ' || s.srvname || ' options: ' || coalesce(ft.ftoptions::text, '')
                                                   FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = c.oid) END,
                   'comment: ' || (SELECT description FROM pg_catalog.pg_description WHERE objoid = c.oid AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid = 0),
                   'column comments: ' || (SELECT pg_catalog.string_agg(objsubid || '=' || description, ', ' ORDER BY objsubid) FROM pg_catalog.pg_description WHERE objoid = c.oid AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid > 0)) AS definition
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('f') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function' ELSE 'function' END,
         n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
         concat_ws(E'\n', CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END,
                   (SELECT pg_catalog.concat_ws(' ', a.aggkind, a.aggtransfn::regproc::text, a.aggfinalfn::regproc::text, a.aggcombinefn::regproc::text,
                                                pg_catalog.format_type(a.aggtranstype, NULL), a.agginitval, a.aggsortop::regoperator::text)
                    FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid),
                   'comment: ' || (SELECT description FROM pg_catalog.pg_description WHERE objoid = p.oid AND classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND objsubid = 0))
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  -- functions, procedures and ordinary aggregates are modeled (queries_routines.sql);
  -- ordered-set and hypothetical-set aggregates are not.
  WHERE p.prokind = 'a' AND EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate oa WHERE oa.aggfnoid = p.oid AND oa.aggkind <> 'n')
    AND {{managed "n"}} AND {{notext "pg_proc" "p.oid"}}

UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' WHEN 'b' THEN 'base type' ELSE 'pseudo type' END, n.nspname, t.typname,
         pg_catalog.concat_ws(E'\n', 'base: ' || pg_catalog.format_type(t.typbasetype, t.typtypmod), 'not null: ' || t.typnotnull, 'default: ' || t.typdefault,
                   'collation: ' || t.typcollation::regcollation::text,
                   'constraints: ' || (SELECT pg_catalog.string_agg(k.conname || ' ' || pg_catalog.pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid),
                   'range: ' || (SELECT pg_catalog.concat_ws(' ', pg_catalog.format_type(r.rngsubtype, NULL), r.rngcollation::regcollation::text, (SELECT oc.opcname FROM pg_catalog.pg_opclass oc WHERE oc.oid = r.rngsubopc), r.rngcanonical::regproc::text, r.rngsubdiff::regproc::text)
                                 FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid),
                   'io: ' || CASE WHEN t.typtype = 'b' THEN concat_ws(' ', t.typinput::text, t.typoutput::text, t.typlen, t.typalign, t.typstorage) END,
                   'comment: ' || (SELECT description FROM pg_catalog.pg_description WHERE objoid = t.oid AND classoid = 'pg_catalog.pg_type'::pg_catalog.regclass))
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  -- domains, composite and range types are modeled (queries_types.sql)
  WHERE t.typtype IN ('b', 'p') AND NOT (t.typtype = 'b' AND t.typcategory = 'A')
    AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
UNION ALL
  SELECT 'operator class', n.nspname, o.opcname,
         concat_ws(E'\n', (SELECT amname FROM pg_catalog.pg_am WHERE oid = o.opcmethod) || ' ' || o.opcintype::regtype::text || ' ' || o.opcdefault::text
                              || ' family ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.opfname) FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace WHERE f.oid = o.opcfamily)
                              || coalesce(' storage ' || NULLIF(o.opckeytype, 0)::regtype::text, ''),
                   'operators: ' || (SELECT pg_catalog.string_agg(ao.amopstrategy || '=' || ao.amopopr::pg_catalog.regoperator::text, ', ' ORDER BY ao.amopstrategy, ao.amopopr::pg_catalog.regoperator::text) FROM pg_catalog.pg_amop ao WHERE ao.amopfamily = o.opcfamily),
                   'functions: ' || (SELECT pg_catalog.string_agg(ap.amprocnum || '=' || ap.amproc::pg_catalog.regprocedure::text, ', ' ORDER BY ap.amprocnum, ap.amproc::pg_catalog.regprocedure::text) FROM pg_catalog.pg_amproc ap WHERE ap.amprocfamily = o.opcfamily))
  FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace
  WHERE {{managed "n"}} AND {{notext "pg_opclass" "o.oid"}}
UNION ALL
  SELECT 'operator family', n.nspname, o.opfname,
         concat_ws(E'\n', (SELECT amname FROM pg_catalog.pg_am WHERE oid = o.opfmethod),
                   'operators: ' || (SELECT pg_catalog.string_agg(ao.amopstrategy || '=' || ao.amopopr::pg_catalog.regoperator::text, ', ' ORDER BY ao.amopstrategy, ao.amopopr::pg_catalog.regoperator::text) FROM pg_catalog.pg_amop ao WHERE ao.amopfamily = o.oid),
                   'functions: ' || (SELECT pg_catalog.string_agg(ap.amprocnum || '=' || ap.amproc::pg_catalog.regprocedure::text, ', ' ORDER BY ap.amprocnum, ap.amproc::pg_catalog.regprocedure::text) FROM pg_catalog.pg_amproc ap WHERE ap.amprocfamily = o.oid))
  FROM pg_catalog.pg_opfamily o JOIN pg_catalog.pg_namespace n ON n.oid = o.opfnamespace
  WHERE {{managed "n"}} AND {{notext "pg_opfamily" "o.oid"}}
UNION ALL
  SELECT 'conversion', n.nspname, c.conname, c.conproc::text
  FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
  WHERE {{managed "n"}} AND {{notext "pg_conversion" "c.oid"}}
UNION ALL
  SELECT 'default privileges', n.nspname, pg_catalog.pg_get_userbyid(a.defaclrole) || ' ' || a.defaclobjtype::text, a.defaclacl::text
  FROM pg_catalog.pg_default_acl a JOIN pg_catalog.pg_namespace n ON n.oid = a.defaclnamespace
  WHERE {{managed "n"}}
UNION ALL
  SELECT 'event trigger', '', e.evtname, e.evtevent || ' ' || e.evtfoid::regproc::text || ' enabled: ' || e.evtenabled::text || coalesce(' tags: ' || e.evttags::text, '')
  FROM pg_catalog.pg_event_trigger e WHERE pg_catalog.cardinality($1::text[]) = 0 AND {{notext "pg_event_trigger" "e.oid"}}
    -- schemactl's own DDL audit (drift/audit_install.sql) is not the user's
    AND e.evtname NOT IN ('schemactl_ddl_audit_end', 'schemactl_ddl_audit_drop')
UNION ALL
  SELECT 'publication', '', p.pubname,
         pg_catalog.concat_ws(' ', p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot,
                   (SELECT pg_catalog.string_agg(pg_catalog.format('%I.%I', schemaname, tablename), ',' ORDER BY 1) FROM pg_catalog.pg_publication_tables pt WHERE pt.pubname = p.pubname))
  FROM pg_catalog.pg_publication p WHERE pg_catalog.cardinality($1::text[]) = 0
UNION ALL
  SELECT 'foreign server', '', s.srvname, concat_ws(' ', (SELECT fdwname FROM pg_catalog.pg_foreign_data_wrapper WHERE oid = s.srvfdw), s.srvtype, s.srvversion, s.srvoptions::text)
  FROM pg_catalog.pg_foreign_server s WHERE pg_catalog.cardinality($1::text[]) = 0 AND {{notext "pg_foreign_server" "s.oid"}}
UNION ALL
  SELECT 'foreign-data wrapper', '', w.fdwname, concat_ws(' ', w.fdwhandler::regproc::text, w.fdwvalidator::regproc::text, w.fdwoptions::text)
  FROM pg_catalog.pg_foreign_data_wrapper w WHERE pg_catalog.cardinality($1::text[]) = 0 AND {{notext "pg_foreign_data_wrapper" "w.oid"}}
UNION ALL
  SELECT 'language', '', l.lanname, l.lanpltrusted::text || ' ' || l.lanplcallfoid::regproc::text
  FROM pg_catalog.pg_language l WHERE l.oid >= 16384 AND pg_catalog.cardinality($1::text[]) = 0 AND {{notext "pg_language" "l.oid"}}
) u
ORDER BY 1, 2, 3;
