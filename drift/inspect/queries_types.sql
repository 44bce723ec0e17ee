-- Catalog queries for domains, composite and range types, collations, row-level
-- security policies, privileges and owners. Same conventions as queries.sql: $1 is the
-- managed schemas, search_path is '' so every rendering is schema-qualified.

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

-- name: policies
SELECT n.nspname, c.relname, p.polname, p.polpermissive,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
       (SELECT pg_catalog.array_agg(x ORDER BY x) FROM (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END AS x
                                                       FROM pg_catalog.unnest(p.polroles) r) rs),
       coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), ''), coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), ''),
       coalesce(d.description, '')
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
ORDER BY 1, 2, 3;

-- name: type_functions
-- Functions PostgreSQL creates for a type and drops with it (range and multirange
-- constructors): part of the type, not objects of their own.
SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE {{managed "n"}}
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid
              AND i.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND i.deptype = 'i');

-- name: grants
-- Privileges on tables (views and materialized views included), their columns,
-- sequences, functions and schemas, from the ACLs with the built-in defaults filled
-- in (acldefault), leaving out what the owner holds by owning the object.
SELECT kind, object, col, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) END,
       x.privilege_type, x.is_grantable
FROM (
  SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS kind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS object, '' AS col,
         c.relowner AS owner, pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) AS x
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
UNION ALL
  SELECT 'column', pg_catalog.format('%I.%I', n.nspname, c.relname), a.attname::text, c.relowner, pg_catalog.aclexplode(a.attacl)
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
UNION ALL
  SELECT 'function', pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)), '',
         p.proowner, pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner)))
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE {{managed "n"}} AND {{notext "pg_proc" "p.oid"}}
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i')
UNION ALL
  SELECT 'schema', pg_catalog.quote_ident(n.nspname), '', n.nspowner, pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner)))
  FROM pg_catalog.pg_namespace n
  WHERE {{managed "n"}}
) g, LATERAL (SELECT (g.x).grantee, (g.x).privilege_type, (g.x).is_grantable) x
WHERE x.grantee <> g.owner
ORDER BY 1, 2, 3, 4, 5;

-- name: owners
-- Owners of the managed objects; empty for the role that inspects.
SELECT kind, object, CASE WHEN owner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN '' ELSE pg_catalog.pg_get_userbyid(owner)::text END
FROM (
  SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END AS kind,
         pg_catalog.format('%I.%I', n.nspname, c.relname) AS object, c.relowner AS owner
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND {{managed "n"}} AND {{notext "pg_class" "c.oid"}}
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i')
UNION ALL
  SELECT 'function', pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)), p.proowner
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE {{managed "n"}} AND {{notext "pg_proc" "p.oid"}}
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i')
UNION ALL
  SELECT 'type', pg_catalog.format('%I.%I', n.nspname, t.typname), t.typowner
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('d', 'e', 'r', 'c') AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')
    AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
UNION ALL
  SELECT 'schema', pg_catalog.quote_ident(n.nspname), n.nspowner
  FROM pg_catalog.pg_namespace n
  WHERE {{managed "n"}} AND n.nspname <> 'public'
) o
ORDER BY 1, 2;

-- name: roles
SELECT pg_catalog.quote_ident(rolname) FROM pg_catalog.pg_roles ORDER BY 1;
