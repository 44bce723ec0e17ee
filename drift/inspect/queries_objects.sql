-- name: objects
-- Extended statistics, rules and operators: objects one CREATE statement defines,
-- rendered from the catalog, with what CREATE cannot set, the DROP and the COMMENT
-- target. Columns: kind, schema, name, table, create, after, drop, target, comment.
SELECT 'statistics', n.nspname, s.stxname, pg_catalog.format('%I.%I', tn.nspname, t.relname),
       pg_catalog.pg_get_statisticsobjdef(s.oid),
       CASE WHEN coalesce(s.stxstattarget::int, -1) >= 0
            THEN ARRAY[pg_catalog.format('ALTER STATISTICS %I.%I SET STATISTICS %s', n.nspname, s.stxname, s.stxstattarget)] ELSE '{}' END,
       pg_catalog.format('DROP STATISTICS IF EXISTS %I.%I', n.nspname, s.stxname),
       pg_catalog.format('STATISTICS %I.%I', n.nspname, s.stxname),
       coalesce(d.description, '')
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_catalog.pg_class t ON t.oid = s.stxrelid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = s.oid AND d.classoid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_statistic_ext" "s.oid"}}
UNION ALL
SELECT 'rule', n.nspname, r.rulename || ' on ' || c.relname, pg_catalog.format('%I.%I', n.nspname, c.relname),
       pg_catalog.rtrim(pg_catalog.pg_get_ruledef(r.oid), ';'),
       CASE r.ev_enabled
            WHEN 'D' THEN ARRAY[pg_catalog.format('ALTER TABLE %I.%I DISABLE RULE %I', n.nspname, c.relname, r.rulename)]
            WHEN 'R' THEN ARRAY[pg_catalog.format('ALTER TABLE %I.%I ENABLE REPLICA RULE %I', n.nspname, c.relname, r.rulename)]
            WHEN 'A' THEN ARRAY[pg_catalog.format('ALTER TABLE %I.%I ENABLE ALWAYS RULE %I', n.nspname, c.relname, r.rulename)]
            ELSE '{}' END,
       pg_catalog.format('DROP RULE IF EXISTS %I ON %I.%I', r.rulename, n.nspname, c.relname),
       pg_catalog.format('RULE %I ON %I.%I', r.rulename, n.nspname, c.relname),
       coalesce(d.description, '')
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objsubid = 0
WHERE r.rulename <> '_RETURN' AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
UNION ALL
SELECT 'operator', n.nspname,
       o.oprname || '(' || coalesce(pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') || ',' || coalesce(pg_catalog.format_type(NULLIF(o.oprright, 0), NULL), 'NONE') || ')',
       '',
       pg_catalog.format('CREATE OPERATOR %I.%s (', n.nspname, o.oprname) || pg_catalog.concat_ws(', ',
           'FUNCTION = ' || o.oprcode::pg_catalog.regproc::text,
           'LEFTARG = ' || pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL),
           'RIGHTARG = ' || pg_catalog.format_type(NULLIF(o.oprright, 0), NULL),
           (SELECT pg_catalog.format('COMMUTATOR = OPERATOR(%I.%s)', cn.nspname, co.oprname) FROM pg_catalog.pg_operator co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.oprnamespace WHERE co.oid = o.oprcom),
           (SELECT pg_catalog.format('NEGATOR = OPERATOR(%I.%s)', cn.nspname, co.oprname) FROM pg_catalog.pg_operator co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.oprnamespace WHERE co.oid = o.oprnegate),
           'RESTRICT = ' || NULLIF(o.oprrest, 0)::pg_catalog.regproc::text,
           'JOIN = ' || NULLIF(o.oprjoin, 0)::pg_catalog.regproc::text,
           CASE WHEN o.oprcanhash THEN 'HASHES' END,
           CASE WHEN o.oprcanmerge THEN 'MERGES' END) || ')',
       '{}',
       pg_catalog.format('DROP OPERATOR IF EXISTS %I.%s (%s, %s)', n.nspname, o.oprname,
           coalesce(pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL), 'NONE'), coalesce(pg_catalog.format_type(NULLIF(o.oprright, 0), NULL), 'NONE')),
       pg_catalog.format('OPERATOR %I.%s (%s, %s)', n.nspname, o.oprname,
           coalesce(pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL), 'NONE'), coalesce(pg_catalog.format_type(NULLIF(o.oprright, 0), NULL), 'NONE')),
       coalesce(d.description, '')
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = o.oid AND d.classoid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objsubid = 0
-- a shell operator (named as a commutator, never defined) has no function
WHERE o.oprcode <> 0 AND {{managed "n"}} AND {{notext "pg_operator" "o.oid"}}
ORDER BY 1, 2, 3;
