INSERT INTO public.t VALUES (1, 'sad', '{sad,happy}'), (2, 'happy', NULL);
