CREATE COLLATION public.c1 (provider = icu, locale = 'fr-FR', deterministic = false);
