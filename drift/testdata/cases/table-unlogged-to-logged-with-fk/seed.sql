INSERT INTO public.parent VALUES (1);
INSERT INTO public.child VALUES (1, 1);
