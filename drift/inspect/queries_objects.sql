-- name: objects
-- Extended statistics, rules, operators, text search dictionaries and
-- configurations, casts: objects one CREATE statement defines,
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
UNION ALL
SELECT 'text search dictionary', n.nspname, d.dictname, '',
       pg_catalog.format('CREATE TEXT SEARCH DICTIONARY %I.%I (TEMPLATE = %I.%I%s)', n.nspname, d.dictname, tn.nspname, t.tmplname,
                         coalesce(', ' || d.dictinitoption, '')),
       '{}',
       pg_catalog.format('DROP TEXT SEARCH DICTIONARY IF EXISTS %I.%I', n.nspname, d.dictname),
       pg_catalog.format('TEXT SEARCH DICTIONARY %I.%I', n.nspname, d.dictname),
       coalesce(ds.description, '')
FROM pg_catalog.pg_ts_dict d
JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = d.oid AND ds.classoid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass AND ds.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_ts_dict" "d.oid"}}
UNION ALL
-- a configuration is its parser; its mappings are set after CREATE, one token
-- type each, with the dictionaries in order
SELECT 'text search configuration', n.nspname, c.cfgname, '',
       pg_catalog.format('CREATE TEXT SEARCH CONFIGURATION %I.%I (PARSER = %I.%I)', n.nspname, c.cfgname, pn.nspname, p.prsname),
       coalesce((SELECT pg_catalog.array_agg(pg_catalog.format('ALTER TEXT SEARCH CONFIGURATION %I.%I ADD MAPPING FOR %s WITH %s',
                                                               n.nspname, c.cfgname, m.alias, m.dicts) ORDER BY m.alias)
                 FROM (SELECT tt.alias, pg_catalog.string_agg(cm.mapdict::pg_catalog.regdictionary::text, ', ' ORDER BY cm.mapseqno) AS dicts
                       FROM pg_catalog.pg_ts_config_map cm
                       JOIN pg_catalog.ts_token_type(c.cfgparser) tt ON tt.tokid = cm.maptokentype
                       WHERE cm.mapcfg = c.oid GROUP BY tt.alias) m), '{}'),
       pg_catalog.format('DROP TEXT SEARCH CONFIGURATION IF EXISTS %I.%I', n.nspname, c.cfgname),
       pg_catalog.format('TEXT SEARCH CONFIGURATION %I.%I', n.nspname, c.cfgname),
       coalesce(ds.description, '')
FROM pg_catalog.pg_ts_config c
JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass AND ds.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_ts_config" "c.oid"}}
UNION ALL
-- casts belong to no schema: read only when no schema list narrows the scope
SELECT 'cast', '', pg_catalog.format_type(c.castsource, NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL), '',
       pg_catalog.format('CREATE CAST (%s AS %s) %s%s', pg_catalog.format_type(c.castsource, NULL), pg_catalog.format_type(c.casttarget, NULL),
                         CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::pg_catalog.regprocedure::text
                                           WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END,
                         CASE c.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN ' AS IMPLICIT' ELSE '' END),
       '{}',
       pg_catalog.format('DROP CAST IF EXISTS (%s AS %s)', pg_catalog.format_type(c.castsource, NULL), pg_catalog.format_type(c.casttarget, NULL)),
       pg_catalog.format('CAST (%s AS %s)', pg_catalog.format_type(c.castsource, NULL), pg_catalog.format_type(c.casttarget, NULL)),
       coalesce(ds.description, '')
FROM pg_catalog.pg_cast c
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND ds.objsubid = 0
WHERE c.oid >= 16384 AND pg_catalog.cardinality($1::text[]) = 0 AND {{notext "pg_cast" "c.oid"}}
  -- a range type's cast to its multirange belongs to the type
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ci WHERE ci.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND ci.objid = c.oid AND ci.deptype = 'i')
ORDER BY 1, 2, 3;
