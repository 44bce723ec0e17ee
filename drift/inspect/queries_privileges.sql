-- Catalog queries for privileges, owners and the server's roles. Same conventions as
-- queries.sql: $1 is the managed schemas, search_path is '' so every rendering is
-- schema-qualified.

-- name: grants
-- Privileges on tables (views and materialized views included), their columns,
-- sequences, functions, schemas and types, from the ACLs with the built-in defaults filled
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
UNION ALL
  -- enums, domains, range and composite types (not a table's row type, not the
  -- multirange a range type brings, whose privileges follow the range's)
  SELECT 'type', pg_catalog.format('%I.%I', n.nspname, t.typname), '', t.typowner,
         pg_catalog.aclexplode(coalesce(t.typacl, pg_catalog.acldefault('T'::"char", t.typowner)))
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('d', 'e', 'r', 'c') AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')
    AND {{managed "n"}} AND {{notext "pg_type" "t.oid"}}
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

-- name: self
SELECT pg_catalog.quote_ident(current_user);
