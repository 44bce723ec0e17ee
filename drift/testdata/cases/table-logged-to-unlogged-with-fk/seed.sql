INSERT INTO public.a_parent VALUES (1);
INSERT INTO public.b_child VALUES (1, 1);
