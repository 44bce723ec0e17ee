INSERT INTO public.t VALUES (1, 1, 1), (3, 3, NULL);
INSERT INTO public.u VALUES (1, 7);
