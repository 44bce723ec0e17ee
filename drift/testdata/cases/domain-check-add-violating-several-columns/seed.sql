INSERT INTO public.t VALUES (1, -1, 1), (2, 0, 2), (3, 3, NULL);
INSERT INTO public.u VALUES (1, -7);
INSERT INTO public.ok VALUES (1, 1);
