-- Catalog queries for enums, domains, composite and range types and collations. Same
-- conventions as queries.sql: $1 is the managed schemas, search_path is '' so every
-- rendering is schema-qualified.

-- name: enums
SELECT n.nspname, t.typname, pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder), coalesce(min(d.description), '')
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE t.typtype = 'e' AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
GROUP BY n.nspname, t.typname
ORDER BY 1, 2;

-- name: domains
SELECT n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod),
       CASE WHEN t.typcollation <> bt.typcollation AND t.typcollation <> 0
            THEN (SELECT pg_catalog.format('%I.%I', cn.nspname, co.collname) FROM pg_catalog.pg_collation co
                  JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) ELSE '' END,
       coalesce(pg_catalog.pg_get_expr(t.typdefaultbin, 0), t.typdefault, ''), t.typnotnull,
       coalesce(d.description, '')
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE t.typtype = 'd' AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
ORDER BY 1, 2;

-- name: domain_checks
SELECT n.nspname, t.typname, k.conname, pg_catalog.pg_get_constraintdef(k.oid), k.convalidated, coalesce(d.description, '')
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_type t ON t.oid = k.contypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = k.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
WHERE k.contype = 'c' AND t.typtype = 'd' AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
ORDER BY 1, 2, 3;

-- name: composites
-- One row per attribute (a composite type may have none: the attribute is then empty).
SELECT n.nspname, t.typname, coalesce(a.attname::text, ''), coalesce(pg_catalog.format_type(a.atttypid, a.atttypmod), ''),
       CASE WHEN a.attcollation <> at.typcollation AND a.attcollation <> 0
            THEN (SELECT pg_catalog.format('%I.%I', cn.nspname, co.collname) FROM pg_catalog.pg_collation co
                  JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END,
       coalesce(ad.description, ''), coalesce(d.description, '')
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
LEFT JOIN pg_catalog.pg_description ad ON ad.objoid = c.oid AND ad.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ad.objsubid = a.attnum
LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE t.typtype = 'c' AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
ORDER BY 1, 2, a.attnum;

-- name: ranges
SELECT n.nspname, t.typname, pg_catalog.format_type(r.rngsubtype, NULL),
       coalesce((SELECT mt.typname FROM pg_catalog.pg_type mt WHERE mt.oid = (pg_catalog.to_jsonb(r) ->> 'rngmultitypid')::pg_catalog.oid), ''),
       CASE WHEN NOT opc.opcdefault THEN pg_catalog.format('%I.%I', opn.nspname, opc.opcname) ELSE '' END,
       CASE WHEN r.rngcollation <> st.typcollation AND r.rngcollation <> 0
            THEN (SELECT pg_catalog.format('%I.%I', cn.nspname, co.collname) FROM pg_catalog.pg_collation co
                  JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) ELSE '' END,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text ELSE '' END,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text ELSE '' END,
       coalesce(d.description, '')
FROM pg_catalog.pg_range r
JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
ORDER BY 1, 2;

-- name: collations
SELECT n.nspname, c.collname, c.collprovider::text, c.collisdeterministic,
       coalesce(pg_catalog.to_jsonb(c) ->> 'collcollate', ''), coalesce(pg_catalog.to_jsonb(c) ->> 'collctype', ''),
       coalesce(pg_catalog.to_jsonb(c) ->> 'colllocale', pg_catalog.to_jsonb(c) ->> 'colliculocale', ''),
       coalesce(d.description, '')
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_collation" "c.oid"}}
ORDER BY 1, 2;

-- name: type_functions
-- Functions PostgreSQL creates for a type and drops with it (range and multirange
-- constructors): part of the type, not objects of their own.
SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE {{managed "n"}}
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid
              AND i.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND i.deptype = 'i');
