CREATE FUNCTION public.sensitive(n int) RETURNS int LANGUAGE sql AS $$ SELECT n $$;
