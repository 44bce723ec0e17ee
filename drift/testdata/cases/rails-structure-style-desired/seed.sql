INSERT INTO public.schema_migrations VALUES ('20240101000000');
INSERT INTO public.posts VALUES (1, 'hello');
