-- a unique key of the parent covers the parent's own rows: the children repeat its values
INSERT INTO public.base VALUES (1, 'a');
INSERT INTO public.child VALUES (1, 'a', 1), (1, 'a', 2);
