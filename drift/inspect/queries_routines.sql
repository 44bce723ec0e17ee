-- Set-based catalog queries for views, materialized views, functions, procedures,
-- aggregates, triggers and the pg_depend edges among them (see queries.sql for the
-- conventions: $1 are the managed schemas, search_path is '').

-- name: views
SELECT c.oid, n.nspname, c.relname, c.relkind = 'm', pg_catalog.rtrim(pg_catalog.pg_get_viewdef(c.oid), ';'),
       coalesce((SELECT pg_catalog.array_agg(o ORDER BY o) FROM pg_catalog.unnest(c.reloptions) o), '{}'),
       c.relispopulated, coalesce(d.description, '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY 2, 3;

-- name: view_columns
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
            THEN pg_catalog.format('%I.%I', cn.nspname, co.collname) ELSE '' END,
       coalesce(d.description, ''),
       -- what ALTER ... ALTER COLUMN sets by hand, as "clause|reset"
       pg_catalog.array_remove(ARRAY[
         'SET DEFAULT ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || '|DROP DEFAULT',
         CASE WHEN coalesce(a.attstattarget::int, -1) >= 0 THEN 'SET STATISTICS ' || a.attstattarget || '|SET STATISTICS -1' END,
         CASE WHEN a.attstorage <> t.typstorage THEN 'SET STORAGE ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END || '|SET STORAGE ' || CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END,
         CASE a.attcompression WHEN 'p' THEN 'SET COMPRESSION pglz|SET COMPRESSION DEFAULT' WHEN 'l' THEN 'SET COMPRESSION lz4|SET COMPRESSION DEFAULT' END]
         || coalesce((SELECT pg_catalog.array_agg('SET (' || o || ')|RESET (' || pg_catalog.split_part(o, '=', 1) || ')' ORDER BY o)
                      FROM pg_catalog.unnest(a.attoptions) o WHERE o !~ '^pg_'), '{}'), NULL)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = a.attnum
WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY a.attrelid, a.attnum;

-- name: view_indexes
SELECT i.indrelid, n.nspname, ic.relname, pg_catalog.format('%I.%I', n.nspname, c.relname), pg_catalog.pg_get_indexdef(i.indexrelid),
       i.indisunique, i.indisvalid AND i.indisready, i.indisclustered, coalesce(d.description, '')
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind = 'm' AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY 1, 3;

-- name: functions
-- Ordered-set and hypothetical-set aggregates stay Unsupported (queries.sql).
SELECT n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes), pg_catalog.pg_get_function_identity_arguments(p.oid),
       coalesce(p.proargmodes::text || ' ' || p.proallargtypes::pg_catalog.regtype[]::text, ''), p.prokind::text,
       CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) ELSE
         pg_catalog.format('CREATE AGGREGATE %I.%I(%s) (%s)', n.nspname, p.proname,
           CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END,
           pg_catalog.concat_ws(', ',
             'SFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggtransfn),
             'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL),
             CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
             'FINALFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggfinalfn),
             CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
             CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
             'COMBINEFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggcombinefn),
             'SERIALFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggserialfn),
             'DESERIALFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggdeserialfn),
             'INITCOND = ' || pg_catalog.quote_literal(a.agginitval),
             'MSFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggmtransfn),
             'MINVFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggminvtransfn),
             CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END,
             CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
             'MFINALFUNC = ' || (SELECT pg_catalog.format('%I.%I', fn.nspname, f.proname) FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = a.aggmfinalfn),
             CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
             CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
             'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval),
             'SORTOP = ' || (SELECT pg_catalog.format('OPERATOR(%I.%s)', opn.nspname, op.oprname) FROM pg_catalog.pg_operator op JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace WHERE op.oid = a.aggsortop),
             CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END))
       END,
       coalesce(pg_catalog.pg_get_function_result(p.oid), ''),
       coalesce(p.proargnames, '{}'), p.pronargdefaults::int,
       coalesce(d.description, '')
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objsubid = 0
WHERE (p.prokind <> 'a' OR a.aggkind = 'n') AND {{managed "n"}} AND {{notext "pg_proc" "p.oid"}}
ORDER BY 1, 2, 3;

-- name: triggers
SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled::text, t.tgconstraint <> 0,
       coalesce(d.description, ''),
       -- the partitions' clones of a trigger of a partitioned table whose state was
       -- changed on the partition alone (ALTER TABLE partition DISABLE TRIGGER)
       coalesce((WITH RECURSIVE clones(oid, tgrelid, tgenabled) AS (
                   SELECT ct.oid, ct.tgrelid, ct.tgenabled FROM pg_catalog.pg_trigger ct WHERE ct.tgparentid = t.oid
                   UNION ALL
                   SELECT ct.oid, ct.tgrelid, ct.tgenabled FROM pg_catalog.pg_trigger ct JOIN clones ON ct.tgparentid = clones.oid)
                 SELECT pg_catalog.array_agg(pg_catalog.format('%I.%I', cn.nspname, cc.relname) || '=' || clones.tgenabled::text ORDER BY cn.nspname, cc.relname)
                 FROM clones JOIN pg_catalog.pg_class cc ON cc.oid = clones.tgrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
                 WHERE clones.tgenabled <> t.tgenabled), '{}'),
       -- the comments on those clones: partitions and comments, in pairs
       coalesce((WITH RECURSIVE clones(oid, tgrelid) AS (
                   SELECT ct.oid, ct.tgrelid FROM pg_catalog.pg_trigger ct WHERE ct.tgparentid = t.oid
                   UNION ALL
                   SELECT ct.oid, ct.tgrelid FROM pg_catalog.pg_trigger ct JOIN clones ON ct.tgparentid = clones.oid)
                 SELECT pg_catalog.array_agg(x ORDER BY o, i) FROM (
                   SELECT pg_catalog.format('%I.%I', cn.nspname, cc.relname) AS o, u.i, u.x
                   FROM clones JOIN pg_catalog.pg_class cc ON cc.oid = clones.tgrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
                   JOIN pg_catalog.pg_description cd ON cd.objoid = clones.oid AND cd.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND cd.objsubid = 0
                   CROSS JOIN LATERAL (VALUES (1, pg_catalog.format('%I.%I', cn.nspname, cc.relname)), (2, cd.description)) u(i, x)) pc), '{}')
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objsubid = 0
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY 1, 2, 3;

-- name: dependencies
-- The pg_depend edges from views, materialized views, functions, triggers, check and
-- exclusion constraints, indexes and column defaults to the relations, columns,
-- functions and enums they use, named as model.Dependency documents.
WITH dep AS (
  SELECT pg_catalog.format('rel %I.%I', n.nspname, c.relname) AS dependent, d.refclassid, d.refobjid, d.refobjsubid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.deptype = 'n' AND c.relkind IN ('v', 'm') AND {{managed "n"}}
UNION ALL
  SELECT pg_catalog.format('fn %I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)), d.refclassid, d.refobjid, d.refobjsubid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_proc p ON p.oid = d.objid
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.deptype = 'n' AND {{managed "n"}}
UNION ALL
  SELECT pg_catalog.format('trg %I.%I.%I', n.nspname, c.relname, t.tgname), d.refclassid, d.refobjid, d.refobjsubid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_trigger t ON t.oid = d.objid
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.deptype IN ('n', 'a') AND NOT t.tgisinternal AND {{managed "n"}}
UNION ALL
  SELECT pg_catalog.format(E'con %I.%I\t%s', n.nspname, c.relname, k.conname), d.refclassid, d.refobjid, d.refobjsubid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_constraint k ON k.oid = d.objid
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.deptype = 'n' AND k.contype IN ('c', 'x') AND {{managed "n"}}
UNION ALL
  SELECT pg_catalog.format('idx %I.%I', n.nspname, c.relname), d.refclassid, d.refobjid, d.refobjsubid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class c ON c.oid = d.objid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'n' AND c.relkind IN ('i', 'I') AND {{managed "n"}}
UNION ALL
  SELECT pg_catalog.format(CASE WHEN a.attgenerated = '' THEN E'def %I.%I\t%s' ELSE E'gen %I.%I\t%s' END, n.nspname, c.relname, a.attname), d.refclassid, d.refobjid, d.refobjsubid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_attrdef ad ON ad.oid = d.objid
  JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
  JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.deptype = 'n' AND {{managed "n"}}
)
SELECT DISTINCT dep.dependent,
       CASE
         WHEN rc.oid IS NOT NULL AND dep.refobjsubid = 0 THEN pg_catalog.format('rel %I.%I', rcn.nspname, rc.relname)
         WHEN rc.oid IS NOT NULL THEN pg_catalog.format('col %I.%I.%I', rcn.nspname, rc.relname, ra.attname)
         WHEN rp.oid IS NOT NULL THEN pg_catalog.format('fn %I.%I(%s)', rpn.nspname, rp.proname, pg_catalog.oidvectortypes(rp.proargtypes))
         WHEN rtc.oid IS NOT NULL THEN pg_catalog.format('rel %I.%I', rtcn.nspname, rtc.relname)
         WHEN rt.typtype = 'e' THEN pg_catalog.format('type %I.%I', rtn.nspname, rt.typname)
       END AS referenced
FROM dep
LEFT JOIN pg_catalog.pg_class rc ON dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND rc.oid = dep.refobjid AND rc.relkind IN ('r', 'p', 'v', 'm')
LEFT JOIN pg_catalog.pg_namespace rcn ON rcn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = dep.refobjsubid AND dep.refobjsubid > 0
LEFT JOIN pg_catalog.pg_proc rp ON dep.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND rp.oid = dep.refobjid
LEFT JOIN pg_catalog.pg_namespace rpn ON rpn.oid = rp.pronamespace
LEFT JOIN pg_catalog.pg_type rt ON dep.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND rt.oid = dep.refobjid
LEFT JOIN pg_catalog.pg_namespace rtn ON rtn.oid = rt.typnamespace
LEFT JOIN pg_catalog.pg_class rtc ON rtc.oid = rt.typrelid AND rt.typrelid <> 0 AND rtc.relkind IN ('r', 'p', 'v', 'm')
LEFT JOIN pg_catalog.pg_namespace rtcn ON rtcn.oid = rtc.relnamespace
WHERE (rc.oid IS NOT NULL AND rcn.nspname !~ '^pg_' AND rcn.nspname <> 'information_schema')
   OR (rp.oid IS NOT NULL AND rpn.nspname !~ '^pg_' AND rpn.nspname <> 'information_schema')
   OR (rtc.oid IS NOT NULL AND rtcn.nspname !~ '^pg_' AND rtcn.nspname <> 'information_schema')
   OR (rt.typtype = 'e' AND rtn.nspname !~ '^pg_')
ORDER BY 1, 2;
