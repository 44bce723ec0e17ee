INSERT INTO public.child VALUES (1, 'kept', 2);
INSERT INTO public.grandchild VALUES (3, 'kept too', 4, 5);
